/**
 * The compliance report: reads every case (and the order facts for delivery times) from the store, checks the
 * hash chain and the rules of the chosen profile, filters by rule, merchant and period (case opened), and renders
 * JSON or CSV. It reads the whole store each time; fine for an auditor's report, not for a dashboard.
 */
import type { EventStore, StoredEvent } from '@aftersales/event-store';
import { drainFeed } from '@aftersales/read-models';
import { verifyChain } from '@aftersales/event-store';
import { toDomainEvent } from '@aftersales/case-application';
import type { Profile, Rule, Violation } from './compliance-rules';
import { RULES, checkCase } from './compliance-rules';

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
}

export async function complianceReport(store: EventStore, filter: ComplianceFilter, now: Date): Promise<ComplianceReport> {
  const cases = new Map<string, StoredEvent[]>();
  const delivered = new Map<string, string>();
  let after: string | undefined;
  await drainFeed(store, async () => after, 1000, async (page) => {
    for (const e of page) {
      if (e.streamId.startsWith('case-')) cases.set(e.streamId, [...(cases.get(e.streamId) ?? []), e]);
      else if (e.streamId.startsWith('order-') && e.type === 'OrderDelivered') {
        const orderId = (e.data as { orderId: string }).orderId;
        if (!delivered.has(orderId)) delivered.set(orderId, e.metadata.occurredAt);
      }
    }
    after = page[page.length - 1].position;
  });
  const from = filter.from ? Date.parse(filter.from) : -Infinity;
  const to = filter.to ? Date.parse(filter.to) : Infinity;
  const violations: ComplianceReport['violations'] = [];
  let checked = 0;
  for (const [streamId, stored] of cases) {
    const events = [...stored].sort((a, b) => a.revision - b.revision);
    const opened = events.find((e) => e.type === 'CaseOpened');
    if (!opened) continue;
    const data = opened.data as { merchantId: string; orderId: string };
    const openedAt = Date.parse(opened.metadata.occurredAt);
    if (openedAt < from || openedAt > to) continue;
    if (filter.merchantId && data.merchantId !== filter.merchantId) continue;
    checked += 1;
    const chain = verifyChain(streamId, events);
    const caseId = streamId.slice('case-'.length);
    const found = checkCase(
      {
        caseId,
        events: events.map((e) => ({ eventId: e.eventId, revision: e.revision, event: toDomainEvent(e) })),
        streamIntact: chain.valid,
        streamProblem: chain.firstBrokenLink && `${chain.firstBrokenLink.reason} at revision ${chain.firstBrokenLink.revision}`,
        deliveredAt: delivered.get(data.orderId),
      },
      filter.profile,
      now,
    );
    for (const v of found) if (!filter.rule || v.rule === filter.rule) violations.push({ ...v, link: `/cases/${caseId}/events` });
  }
  violations.sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.rule.localeCompare(b.rule));
  const summary = Object.fromEntries(RULES.map((r) => [r, violations.filter((v) => v.rule === r).length])) as Record<Rule, number>;
  return { profile: filter.profile, generatedAt: now.toISOString(), period: { from: filter.from, to: filter.to }, casesChecked: checked, summary, violations };
}

const csvCell = (v: unknown) => {
  const text = Array.isArray(v) ? v.join(' ') : String(v ?? '');
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function toCsv(report: ComplianceReport): string {
  const header = ['rule', 'profile', 'caseId', 'merchantId', 'openedAt', 'detail', 'evidence', 'link'];
  const rows = report.violations.map((v) => [v.rule, v.profile, v.caseId, v.merchantId, v.openedAt, v.detail, v.evidence, v.link].map(csvCell).join(','));
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
