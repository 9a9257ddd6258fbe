/**
 * The compliance report: reads every case (and the order facts for delivery times) from the store, and the
 * anchor chain; checks each case's hash chain against its anchors and the rules of the chosen profile, names the
 * anchored case streams that no longer exist, filters by rule, merchant and period (case opened), and renders JSON
 * or CSV. Events the rules cannot read are skipped and listed in `malformedEvents`. It reads the whole store each
 * time; fine for an auditor's report, not for a dashboard.
 */
import type { AnchorChainVerification, EventStore, StoredEvent } from '@aftersales/event-store';
import { walkWholeFeed } from '@aftersales/read-models';
import { verifyAnchorChain, verifyChain } from '@aftersales/event-store';
import { toDomainEvent } from '@aftersales/case-application';
import type { Profile, Rule, Violation } from './compliance-rules';
import { RULES, checkCase } from './compliance-rules';
import { toCsvDocument } from './compliance-csv';
import { JurisdictionProfiles } from './jurisdiction-profiles';
import type { MalformedEvent } from './malformed-events';
import { separateMalformed } from './malformed-events';

export interface ComplianceFilter {
  profile: Profile;
  rule?: Rule;
  merchantId?: string;
  /** Cases opened in [from, to]. */
  from?: string;
  to?: string;
}

export interface ComplianceReport {
  profile: Profile;
  generatedAt: string;
  period: { from?: string; to?: string };
  casesChecked: number;
  summary: Record<Rule, number>;
  violations: Array<Violation & { link: string }>;
  /** Events skipped because the rules cannot read them (whatever the filters). */
  malformedEvents: MalformedEvent[];
  /** The anchor chain: whether it holds, and its newest anchor (keep its sequence and hash outside the system). */
  anchors: AnchorChainVerification;
  /** Anchored streams of which no event remains (whatever the filters). */
  deletedStreams: Array<{ streamId: string; anchoredRevision: number; anchorSequence: number }>;
}

export interface ComplianceHooks {
  /** Told of each malformed event found (for logs and metrics). */
  onMalformed?: (event: MalformedEvent) => void;
  /** The profiles `filter.profile` names one of; the built-in CN and EU when absent. */
  profiles?: JurisdictionProfiles;
}

/** The report was asked for a profile that is neither built in nor configured. */
export class UnknownProfileError extends Error {
  readonly code = 'UNKNOWN_PROFILE';
  constructor(
    readonly profile: string,
    readonly known: string[],
  ) {
    super(`no jurisdiction profile '${profile}'; known: ${known.join(', ')}`);
  }
}

export async function complianceReport(store: EventStore, filter: ComplianceFilter, now: Date, hooks: ComplianceHooks = {}): Promise<ComplianceReport> {
  const profiles = hooks.profiles ?? new JurisdictionProfiles();
  const jurisdiction = profiles.get(filter.profile);
  if (!jurisdiction) throw new UnknownProfileError(filter.profile, profiles.ids());
  const { cases, streams, delivered } = await readStore(store);
  const anchors = await verifyAnchorChain(store);
  const from = filter.from ? Date.parse(filter.from) : -Infinity;
  const to = filter.to ? Date.parse(filter.to) : Infinity;
  const violations: ComplianceReport['violations'] = [];
  const malformedEvents: MalformedEvent[] = [];
  const keep = (v: Violation) => {
    if (!filter.rule || v.rule === filter.rule) violations.push({ ...v, link: `/cases/${v.caseId}/events` });
  };
  let checked = 0;
  for (const [streamId, stored] of cases) {
    const outcome = checkStream(streamId, stored, { filter, from, to, anchors, delivered, jurisdiction, now });
    malformedEvents.push(...outcome.malformed);
    if (!outcome.found) continue;
    checked += 1;
    for (const v of outcome.found) keep(v);
  }
  const deletedStreams = deletedStreamsOf(anchors, streams, filter, keep);
  for (const m of malformedEvents) hooks.onMalformed?.(m);
  violations.sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.rule.localeCompare(b.rule) || a.caseId.localeCompare(b.caseId));
  const summary = Object.fromEntries(RULES.map((r) => [r, violations.filter((v) => v.rule === r).length])) as Record<Rule, number>;
  return {
    profile: filter.profile,
    generatedAt: now.toISOString(),
    period: { from: filter.from, to: filter.to },
    casesChecked: checked,
    summary,
    violations,
    malformedEvents,
    anchors: anchors.result(),
    deletedStreams,
  };
}

/** Every stream's id, each case stream's events, and the first delivery time of each order (by order id). */
async function readStore(store: EventStore) {
  const cases = new Map<string, StoredEvent[]>();
  const streams = new Set<string>();
  const delivered = new Map<string, string>();
  await walkWholeFeed(store, (page) => {
    for (const e of page) {
      streams.add(e.streamId);
      if (e.streamId.startsWith('case-')) cases.set(e.streamId, [...(cases.get(e.streamId) ?? []), e]);
      else if (e.streamId.startsWith('order-') && e.type === 'OrderDelivered') {
        const orderId = (e.data as { orderId?: unknown } | null)?.orderId;
        if (typeof orderId === 'string' && !delivered.has(orderId)) delivered.set(orderId, e.metadata.occurredAt);
      }
    }
  });
  return { cases, streams, delivered };
}

interface CaseCheckInputs {
  filter: ComplianceFilter;
  from: number;
  to: number;
  anchors: Awaited<ReturnType<typeof verifyAnchorChain>>;
  delivered: Map<string, string>;
  jurisdiction: Parameters<typeof checkCase>[1];
  now: Date;
}

/**
 * One case stream: its malformed events, and its violations when it was checked (`found` is absent when the case
 * has no readable opening, lies outside the filters, or cannot be checked, which is reported as a malformed event).
 */
function checkStream(streamId: string, stored: StoredEvent[], inputs: CaseCheckInputs): { malformed: MalformedEvent[]; found?: Violation[] } {
  const { filter, from, to, anchors, delivered, jurisdiction, now } = inputs;
  const events = [...stored].sort((a, b) => a.revision - b.revision);
  const caseId = streamId.slice('case-'.length);
  const { readable, malformed, opened: readableOpening } = separateMalformed(caseId, events);
  const opened = readable.find((e) => e.type === 'CaseOpened');
  if (!readableOpening || !opened) return { malformed };
  const data = opened.data as { merchantId: string; orderId: string };
  const openedAt = Date.parse(opened.metadata.occurredAt);
  if (openedAt < from || openedAt > to) return { malformed };
  if (filter.merchantId && data.merchantId !== filter.merchantId) return { malformed };
  const chain = verifyChain(streamId, events, anchors.anchorsOf(streamId));
  try {
    const found = checkCase(
      {
        caseId,
        events: readable.map((e) => ({ eventId: e.eventId, revision: e.revision, event: toDomainEvent(e) })),
        streamIntact: chain.valid,
        streamProblem: chain.firstBrokenLink && describeBreak(chain.firstBrokenLink),
        deliveredAt: delivered.get(data.orderId),
      },
      jurisdiction,
      now,
    );
    return { malformed, found };
  } catch (error) {
    const last = readable[readable.length - 1];
    const unchecked = {
      streamId,
      caseId,
      revision: last.revision,
      eventId: last.eventId,
      type: last.type,
      reason: `the case cannot be checked: ${(error as Error).message}`,
    };
    return { malformed: [...malformed, unchecked] };
  }
}

/** Anchored streams of which no event remains; each deleted case stream is also kept as a NOTHING_DELETED violation. */
function deletedStreamsOf(
  anchors: CaseCheckInputs['anchors'],
  streams: Set<string>,
  filter: ComplianceFilter,
  keep: (v: Violation) => void,
): ComplianceReport['deletedStreams'] {
  const deletedStreams: ComplianceReport['deletedStreams'] = [];
  for (const streamId of anchors.anchoredStreams()) {
    if (streams.has(streamId)) continue;
    const newest = anchors.anchorsOf(streamId).at(-1)!;
    deletedStreams.push({ streamId, anchoredRevision: newest.revision, anchorSequence: newest.sequence });
    // Its merchant and opening went with it: reported whatever the period, unless a merchant was asked for.
    if (!streamId.startsWith('case-') || filter.merchantId) continue;
    keep({
      rule: 'NOTHING_DELETED',
      profile: filter.profile,
      caseId: streamId.slice('case-'.length),
      merchantId: '',
      openedAt: '',
      detail: `the whole stream ${streamId} was deleted: anchor ${newest.sequence} recorded it up to revision ${newest.revision}, no event remains`,
      evidence: [],
    });
  }
  return deletedStreams;
}

function describeBreak(link: NonNullable<ReturnType<typeof verifyChain>['firstBrokenLink']>): string {
  if (link.reason === 'HEAD_DELETED' && link.anchor) {
    return `HEAD_DELETED: the stream ends at revision ${link.revision - 1} but anchor ${link.anchor.sequence} recorded revision ${link.anchor.revision}`;
  }
  return `${link.reason} at revision ${link.revision}`;
}

export function toCsv(report: ComplianceReport): string {
  const header = ['rule', 'profile', 'caseId', 'merchantId', 'openedAt', 'detail', 'evidence', 'link'];
  return toCsvDocument(
    header,
    report.violations.map((v) => [v.rule, v.profile, v.caseId, v.merchantId, v.openedAt, v.detail, v.evidence, v.link]),
  );
}
