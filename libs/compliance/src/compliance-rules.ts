/**
 * The compliance rules of spec section 9, per jurisdiction profile (jurisdiction-profiles.ts: CN, EU, and any
 * configured), as pure functions of one case's history (and the delivery time of its order). Each violation names
 * its rule, the case and the events that prove it.
 */
import type { CaseEvent, CaseState } from '@aftersales/case-domain';
import { evolve, initialCaseState } from '@aftersales/case-domain';
import type { JurisdictionProfile } from './jurisdiction-profiles';
import { refundDeadline, returnWindowEnd } from './jurisdiction-profiles';

/** A jurisdiction profile's id (`CN`, `EU`, or one from configuration). */
export type Profile = string;

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

export interface CaseFacts {
  caseId: string;
  events: EvidenceEvent[];
  /** Revisions found in the store are contiguous from 0 and the hash chain holds. */
  streamIntact: boolean;
  streamProblem?: string;
  deliveredAt?: string;
}

/** One case as each rule reads it: its facts, its state after each event, and where its violations go. */
interface CaseUnderCheck {
  facts: CaseFacts;
  jurisdiction: JurisdictionProfile;
  now: Date;
  /** The state after all events, and after each one (same index as `facts.events`). */
  state: CaseState;
  states: CaseState[];
  opened: EvidenceEvent;
  ofType: (type: string) => EvidenceEvent[];
  violation: (rule: Rule, detail: string, evidence: string[]) => void;
}

export function checkCase(facts: CaseFacts, jurisdiction: JurisdictionProfile, now: Date): Violation[] {
  const profile = jurisdiction.id;
  const states: CaseState[] = [];
  let state = initialCaseState(facts.caseId);
  for (const e of facts.events) {
    state = evolve(state, e.event);
    states.push(state);
  }
  if (!state.exists) return [];
  const out: Violation[] = [];
  const merchantId = state.merchantId;
  const openedAt = state.openedAt;
  const c: CaseUnderCheck = {
    facts,
    jurisdiction,
    now,
    state,
    states,
    opened: facts.events.find((e) => e.event.type === 'CaseOpened')!,
    ofType: (type) => facts.events.filter((e) => e.event.type === type),
    violation: (rule, detail, evidence) => out.push({ rule, profile, caseId: facts.caseId, merchantId, openedAt, detail, evidence }),
  };
  checkFirstResponse(c);
  checkReturnWindow(c);
  checkRefundDeadline(c);
  checkAttributedDecisions(c);
  if (!facts.streamIntact)
    c.violation(
      'NOTHING_DELETED',
      facts.streamProblem ?? 'the stream is not intact',
      facts.events.slice(0, 1).map((e) => e.eventId),
    );
  return out;
}

/** First response within the SLA target, and never later than the profile's bound (24 h in CN and EU). */
function checkFirstResponse({ facts, jurisdiction, now, state, states, opened, violation }: CaseUnderCheck): void {
  const due = Math.min(Date.parse(state.sla.firstResponseDueAt), Date.parse(state.openedAt) + jurisdiction.firstResponseMaxHours * HOUR);
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
}

/** A return the no-reason rules cover: a RETURN case without exempt goods. */
function noReasonReturn(state: CaseState): boolean {
  return state.caseType === 'RETURN' && !state.items.some((i) => i.returnExemption);
}

/** No-reason return refused inside the window (exempt goods aside). */
function checkReturnWindow({ facts, jurisdiction, state, opened, ofType, violation }: CaseUnderCheck): void {
  const rejected = ofType('CaseRejected');
  if (noReasonReturn(state) && facts.deliveredAt && rejected.length) {
    const end = returnWindowEnd(jurisdiction, facts.deliveredAt);
    if (Date.parse(state.openedAt) <= end) {
      violation('NO_REASON_RETURN_WINDOW', `return requested within the window (until ${new Date(end).toISOString()}) and rejected`, [
        opened.eventId,
        rejected[0].eventId,
      ]);
    }
  }
}

/** Refund after a no-reason return, in time. */
function checkRefundDeadline({ jurisdiction, now, state, opened, ofType, violation }: CaseUnderCheck): void {
  const accepted = ofType('ResolutionAccepted').filter((e) => ['REFUND', 'PARTIAL_REFUND'].includes((e.event.data as { kind: string }).kind));
  if (!noReasonReturn(state) || !accepted.length) return;
  const received = ofType('ReturnReceived')[0];
  const deadline = refundDeadline(jurisdiction, state.openedAt, received?.event.occurredAt);
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

/** Every rejection, resolution and closure names its actor and reason code. */
function checkAttributedDecisions({ facts, violation }: CaseUnderCheck): void {
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
}
