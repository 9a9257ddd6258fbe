/**
 * The compliance rules of spec section 9, per jurisdiction profile, as pure functions of one case's history
 * (and the delivery time of its order). Each violation names its rule, the case and the events that prove it.
 */
import type { CaseEvent, CaseState } from '@aftersales/case-domain';
import { evolve, initialCaseState } from '@aftersales/case-domain';

export const PROFILES = ['CN', 'EU'] as const;
export type Profile = (typeof PROFILES)[number];

export const RULES = ['FIRST_RESPONSE', 'NO_REASON_RETURN_WINDOW', 'REFUND_DEADLINE', 'ATTRIBUTED_DECISIONS', 'NOTHING_DELETED'] as const;
export type Rule = (typeof RULES)[number];

/** One stored event of the case, as the rules see it. */
export interface EvidenceEvent {
  eventId: string;
  revision: number;
  event: CaseEvent;
}

export interface Violation {
  rule: Rule;
  profile: Profile;
  caseId: string;
  merchantId: string;
  openedAt: string;
  detail: string;
  /** Event ids that show it (the history is at /cases/{caseId}/events). */
  evidence: string[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CN_OFFSET = 8 * HOUR; // Asia/Shanghai, no daylight saving

/** Last instant of the no-reason return window. */
export function returnWindowEnd(profile: Profile, deliveredAt: string): number {
  const delivered = Date.parse(deliveredAt);
  if (profile === 'EU') return delivered + 14 * DAY; // 14 days from taking possession (art. 9)
  // CN: 7 days counted from the day after delivery (local calendar days): through the end of delivery day + 7.
  const localMidnight = Math.floor((delivered + CN_OFFSET) / DAY) * DAY - CN_OFFSET;
  return localMidnight + 8 * DAY - 1;
}

/** Deadline for refunding a no-reason return. */
export function refundDeadline(profile: Profile, openedAt: string, receivedAt?: string): number | undefined {
  if (profile === 'CN') return receivedAt ? Date.parse(receivedAt) + 7 * DAY : undefined; // art. 25: 7 days from receipt
  // EU art. 13: 14 days from the withdrawal notice; the trader may wait until the goods are back.
  const notice = Date.parse(openedAt) + 14 * DAY;
  return receivedAt ? Math.max(notice, Date.parse(receivedAt)) : notice;
}

export interface CaseFacts {
  caseId: string;
  events: EvidenceEvent[];
  /** Revisions found in the store are contiguous from 0 and the hash chain holds. */
  streamIntact: boolean;
  streamProblem?: string;
  deliveredAt?: string;
}

export function checkCase(facts: CaseFacts, profile: Profile, now: Date): Violation[] {
  const states: CaseState[] = [];
  let state = initialCaseState(facts.caseId);
  for (const e of facts.events) {
    state = evolve(state, e.event);
    states.push(state);
  }
  if (!state.exists) return [];
  const out: Violation[] = [];
  const violation = (rule: Rule, detail: string, evidence: string[]) =>
    out.push({ rule, profile, caseId: facts.caseId, merchantId: state.merchantId, openedAt: state.openedAt, detail, evidence });
  const opened = facts.events.find((e) => e.event.type === 'CaseOpened')!;
  const ofType = (type: string) => facts.events.filter((e) => e.event.type === type);

  // First response within the SLA target, and never later than 24 h.
  const due = Math.min(Date.parse(state.sla.firstResponseDueAt), Date.parse(state.openedAt) + 24 * HOUR);
  const firstResponseIndex = states.findIndex((s) => s.sla.firstRespondedAt !== undefined);
  const firstResponse = firstResponseIndex >= 0 ? facts.events[firstResponseIndex] : undefined;
  const respondedAt = firstResponse ? Date.parse(firstResponse.event.occurredAt) : undefined;
  if (respondedAt !== undefined ? respondedAt > due : now.getTime() > due) {
    violation(
      'FIRST_RESPONSE',
      respondedAt !== undefined
        ? `first response after ${((respondedAt - Date.parse(state.openedAt)) / HOUR).toFixed(2)} h; due within ${((due - Date.parse(state.openedAt)) / HOUR).toFixed(2)} h`
        : `no first response yet, due ${new Date(due).toISOString()}`,
      [opened.eventId, ...(firstResponse ? [firstResponse.eventId] : [])],
    );
  }

  const isReturn = state.caseType === 'RETURN';
  const exempt = state.items.some((i) => i.returnExemption);
  // No-reason return refused inside the window (exempt goods aside).
  const rejected = ofType('CaseRejected');
  if (isReturn && !exempt && facts.deliveredAt && rejected.length) {
    const end = returnWindowEnd(profile, facts.deliveredAt);
    if (Date.parse(state.openedAt) <= end) {
      violation('NO_REASON_RETURN_WINDOW', `return requested within the window (until ${new Date(end).toISOString()}) and rejected`, [opened.eventId, rejected[0].eventId]);
    }
  }

  // Refund after a no-reason return, in time.
  const accepted = ofType('ResolutionAccepted').filter((e) => ['REFUND', 'PARTIAL_REFUND'].includes((e.event.data as { kind: string }).kind));
  if (isReturn && !exempt && accepted.length) {
    const received = ofType('ReturnReceived')[0];
    const deadline = refundDeadline(profile, state.openedAt, received?.event.occurredAt);
    const refund = ofType('RefundIssued')[0];
    const refundedAt = refund ? Date.parse(refund.event.occurredAt) : undefined;
    if (deadline !== undefined && (refundedAt !== undefined ? refundedAt > deadline : now.getTime() > deadline)) {
      violation(
        'REFUND_DEADLINE',
        `refund ${refundedAt !== undefined ? `issued ${new Date(refundedAt).toISOString()}` : 'not issued'}; due by ${new Date(deadline).toISOString()}`,
        [opened.eventId, ...(received ? [received.eventId] : []), ...(refund ? [refund.eventId] : [])],
      );
    }
  }

  // Every rejection, resolution and closure names its actor and reason code.
  for (const e of facts.events) {
    const reason =
      e.event.type === 'CaseRejected' || e.event.type === 'CaseClosed'
        ? (e.event.data as { reasonCode?: string }).reasonCode
        : e.event.type === 'CaseResolved'
          ? (e.event.data as { resolutionKind?: string }).resolutionKind
          : 'n/a';
    if (reason === 'n/a') continue;
    if (!reason || !e.event.actor?.type || !e.event.actor?.id) {
      violation('ATTRIBUTED_DECISIONS', `${e.event.type} at revision ${e.revision} lacks ${!reason ? 'a reason code' : 'an actor'}`, [e.eventId]);
    }
  }

  if (!facts.streamIntact) violation('NOTHING_DELETED', facts.streamProblem ?? 'the stream is not intact', facts.events.slice(0, 1).map((e) => e.eventId));
  return out;
}
