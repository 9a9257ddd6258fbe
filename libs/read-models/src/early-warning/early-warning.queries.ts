/**
 * Reads of the early-warning view: the counts behind each detector at a given time (the watch's input), the
 * state of every signal stream as projected, and the raised signals (GET /views/early-warning).
 */
import type { EarlyWarningRaisedData, EarlyWarningSignal, ScopedMeasurement, SignalKind, SignalScope, SignalStreamState } from '@aftersales/early-warning';
import { BASELINE_DAYS, SIGNAL_KINDS, WINDOW_MS } from '@aftersales/early-warning';
import type { SqlQueryable } from '@aftersales/sql-client';
import { EARLY_WARNING_TABLES } from './early-warning.projection';

const DAY_MS = 86_400_000;

/** Whole days (rounded up, 0..28) between a merchant's first appearance and the start of the window. */
function historyDays(firstSeen: string | Date | null, windowStart: number): number {
  if (firstSeen === null) return 0;
  const days = Math.ceil((windowStart - new Date(firstSeen).getTime()) / DAY_MS);
  return Math.min(BASELINE_DAYS, Math.max(0, days));
}

type Count = string | number;
const n = (v: Count) => Number(v);

/** Every scope with activity in the last 24 h or the 28 days before them, measured at `now`. */
export async function measureEarlyWarnings(sql: SqlQueryable, now: Date, suffix = ''): Promise<ScopedMeasurement[]> {
  const t = (name: string) => `${name}${suffix}`;
  const windowStart = now.getTime() - WINDOW_MS;
  const params = [now.toISOString(), new Date(windowStart).toISOString(), new Date(windowStart - BASELINE_DAYS * DAY_MS).toISOString()];
  const inWindow = (col: string) => `${col} > $2::timestamptz AND ${col} <= $1::timestamptz`;
  const inBaseline = (col: string) => `${col} > $3::timestamptz AND ${col} <= $2::timestamptz`;
  const inEither = (col: string) => `${col} > $3::timestamptz AND ${col} <= $1::timestamptz`;
  const merchants = `LEFT JOIN ${t(EARLY_WARNING_TABLES.merchants)} m USING (merchant_id)`;
  const out: ScopedMeasurement[] = [];

  const spikes = await sql.query<{
    merchant_id: string;
    observed: Count;
    trailing: Count;
    repeats: Count;
    repeats_trailing: Count;
    first_seen_at: string | Date | null;
  }>(
    `SELECT c.merchant_id, m.first_seen_at,
       count(*) FILTER (WHERE ${inWindow('c.opened_at')}) AS observed,
       count(*) FILTER (WHERE ${inBaseline('c.opened_at')}) AS trailing,
       count(*) FILTER (WHERE c.repeat_complaint AND ${inWindow('c.triaged_at')}) AS repeats,
       count(*) FILTER (WHERE c.repeat_complaint AND ${inBaseline('c.triaged_at')}) AS repeats_trailing
     FROM ${t(EARLY_WARNING_TABLES.cases)} c ${merchants}
     WHERE ${inEither('c.opened_at')} OR ${inEither('c.triaged_at')}
     GROUP BY c.merchant_id, m.first_seen_at ORDER BY c.merchant_id`,
    params,
  );
  for (const r of spikes.rows) {
    const history = historyDays(r.first_seen_at, windowStart);
    out.push({
      kind: 'COMPLAINT_SPIKE',
      scope: { merchantId: r.merchant_id },
      counts: { observed: n(r.observed), trailing: n(r.trailing), historyDays: history },
    });
    out.push({
      kind: 'REPEAT_CONTACTS',
      scope: { merchantId: r.merchant_id },
      counts: { observed: n(r.repeats), trailing: n(r.repeats_trailing), historyDays: history },
    });
  }

  const skus = await sql.query<{ merchant_id: string; sku: string; observed: Count; trailing: Count; first_seen_at: string | Date | null }>(
    `SELECT c.merchant_id, s.sku, m.first_seen_at,
       count(*) FILTER (WHERE ${inWindow('c.opened_at')}) AS observed,
       count(*) FILTER (WHERE ${inBaseline('c.opened_at')}) AS trailing
     FROM ${t(EARLY_WARNING_TABLES.cases)} c CROSS JOIN LATERAL unnest(c.skus) AS s(sku) ${merchants}
     WHERE ${inEither('c.opened_at')}
     GROUP BY c.merchant_id, s.sku, m.first_seen_at ORDER BY c.merchant_id, s.sku`,
    params,
  );
  for (const r of skus.rows) {
    out.push({
      kind: 'COMPLAINT_SPIKE',
      scope: { merchantId: r.merchant_id, sku: r.sku },
      counts: { observed: n(r.observed), trailing: n(r.trailing), historyDays: historyDays(r.first_seen_at, windowStart) },
    });
  }

  const sentiment = await sql.query<{ merchant_id: string; hits: Count; total: Count; base_hits: Count; base_total: Count }>(
    `SELECT merchant_id,
       count(*) FILTER (WHERE sentiment = 'NEGATIVE' AND ${inWindow('triaged_at')}) AS hits,
       count(*) FILTER (WHERE ${inWindow('triaged_at')}) AS total,
       count(*) FILTER (WHERE sentiment = 'NEGATIVE' AND ${inBaseline('triaged_at')}) AS base_hits,
       count(*) FILTER (WHERE ${inBaseline('triaged_at')}) AS base_total
     FROM ${t(EARLY_WARNING_TABLES.cases)} WHERE ${inEither('triaged_at')} GROUP BY merchant_id ORDER BY merchant_id`,
    params,
  );
  for (const r of sentiment.rows) {
    out.push({
      kind: 'NEGATIVE_SENTIMENT_SURGE',
      scope: { merchantId: r.merchant_id },
      counts: { windowHits: n(r.hits), windowTotal: n(r.total), baselineHits: n(r.base_hits), baselineTotal: n(r.base_total) },
    });
  }

  const breaches = await sql.query<{ merchant_id: string; hits: Count; total: Count; base_hits: Count; base_total: Count }>(
    `SELECT merchant_id,
       count(*) FILTER (WHERE breached AND ${inWindow('ended_at')}) AS hits,
       count(*) FILTER (WHERE ${inWindow('ended_at')}) AS total,
       count(*) FILTER (WHERE breached AND ${inBaseline('ended_at')}) AS base_hits,
       count(*) FILTER (WHERE ${inBaseline('ended_at')}) AS base_total
     FROM ${t(EARLY_WARNING_TABLES.slaOutcomes)} WHERE ${inEither('ended_at')} GROUP BY merchant_id ORDER BY merchant_id`,
    params,
  );
  for (const r of breaches.rows) {
    out.push({
      kind: 'SLA_BREACH_RATE',
      scope: { merchantId: r.merchant_id },
      counts: { windowHits: n(r.hits), windowTotal: n(r.total), baselineHits: n(r.base_hits), baselineTotal: n(r.base_total) },
    });
  }
  return out;
}

/** Every signal stream the view has seen: its last revision, and the signal while it is raised. */
export async function readSignalStates(sql: SqlQueryable, suffix = ''): Promise<Map<string, SignalStreamState>> {
  const rows = await sql.query<{ signal_key: string; revision: number; active: boolean; data: EarlyWarningRaisedData }>(
    `SELECT signal_key, revision, active, data FROM ${EARLY_WARNING_TABLES.signals}${suffix}`,
  );
  return new Map(rows.rows.map((r) => [r.signal_key, r.active ? { revision: Number(r.revision), raised: r.data } : { revision: Number(r.revision) }]));
}

/** merchantId, sku, reason in that order (JSONB keeps keys in its own order). */
function scopeInOrder(scope: SignalScope): SignalScope {
  return {
    ...(scope.merchantId !== undefined ? { merchantId: scope.merchantId } : {}),
    ...(scope.sku !== undefined ? { sku: scope.sku } : {}),
    ...(scope.reason !== undefined ? { reason: scope.reason } : {}),
  };
}

export interface SignalFilter {
  merchantId?: string;
  kind?: SignalKind;
}

/** The raised signals, by kind (in SIGNAL_KINDS order), then highest score first. */
export async function readRaisedSignals(sql: SqlQueryable, filter: SignalFilter = {}, suffix = ''): Promise<EarlyWarningSignal[]> {
  const where = ['active'];
  const params: unknown[] = [];
  if (filter.merchantId !== undefined) where.push(`merchant_id = $${params.push(filter.merchantId)}`);
  if (filter.kind !== undefined) where.push(`kind = $${params.push(filter.kind)}`);
  const rows = await sql.query<{ data: EarlyWarningRaisedData }>(
    `SELECT data FROM ${EARLY_WARNING_TABLES.signals}${suffix} WHERE ${where.join(' AND ')} ORDER BY signal_key`,
    params,
  );
  const order = (k: string) => SIGNAL_KINDS.indexOf(k as SignalKind);
  return rows.rows
    .map(({ data }) => ({
      kind: data.kind,
      scope: scopeInOrder(data.scope),
      window: data.window,
      observed: data.observed,
      baseline: data.baseline,
      score: data.score,
      since: data.since,
    }))
    .sort((a, b) => order(a.kind) - order(b.kind) || b.score - a.score);
}
