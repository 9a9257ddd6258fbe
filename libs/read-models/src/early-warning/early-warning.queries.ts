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

/** The measuring time's window (last 24 h) and baseline (28 days before it) as SQL conditions on $1..$3. */
interface Measuring {
  sql: SqlQueryable;
  t: (name: string) => string;
  windowStart: number;
  params: string[];
  inWindow: (col: string) => string;
  inBaseline: (col: string) => string;
  inEither: (col: string) => string;
  merchants: string;
}

/** Every scope with activity in the last 24 h or the 28 days before them, measured at `now`. */
export async function measureEarlyWarnings(sql: SqlQueryable, now: Date, suffix = ''): Promise<ScopedMeasurement[]> {
  const t = (name: string) => `${name}${suffix}`;
  const windowStart = now.getTime() - WINDOW_MS;
  const m: Measuring = {
    sql,
    t,
    windowStart,
    params: [now.toISOString(), new Date(windowStart).toISOString(), new Date(windowStart - BASELINE_DAYS * DAY_MS).toISOString()],
    inWindow: (col) => `${col} > $2::timestamptz AND ${col} <= $1::timestamptz`,
    inBaseline: (col) => `${col} > $3::timestamptz AND ${col} <= $2::timestamptz`,
    inEither: (col) => `${col} > $3::timestamptz AND ${col} <= $1::timestamptz`,
    merchants: `LEFT JOIN ${t(EARLY_WARNING_TABLES.merchants)} m USING (merchant_id)`,
  };
  return [
    ...(await merchantComplaints(m)),
    ...(await skuComplaints(m)),
    ...(await rates(m, 'NEGATIVE_SENTIMENT_SURGE', EARLY_WARNING_TABLES.cases, "sentiment = 'NEGATIVE'", 'triaged_at')),
    ...(await rates(m, 'SLA_BREACH_RATE', EARLY_WARNING_TABLES.slaOutcomes, 'breached', 'ended_at')),
  ];
}

/** Per merchant: cases opened (COMPLAINT_SPIKE) and repeat complaints triaged (REPEAT_CONTACTS). */
async function merchantComplaints({ sql, t, windowStart, params, inWindow, inBaseline, inEither, merchants }: Measuring): Promise<ScopedMeasurement[]> {
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
  return spikes.rows.flatMap((r): ScopedMeasurement[] => {
    const history = historyDays(r.first_seen_at, windowStart);
    return [
      { kind: 'COMPLAINT_SPIKE', scope: { merchantId: r.merchant_id }, counts: { observed: n(r.observed), trailing: n(r.trailing), historyDays: history } },
      {
        kind: 'REPEAT_CONTACTS',
        scope: { merchantId: r.merchant_id },
        counts: { observed: n(r.repeats), trailing: n(r.repeats_trailing), historyDays: history },
      },
    ];
  });
}

/** Per merchant and SKU: cases opened (COMPLAINT_SPIKE). */
async function skuComplaints({ sql, t, windowStart, params, inWindow, inBaseline, inEither, merchants }: Measuring): Promise<ScopedMeasurement[]> {
  const skus = await sql.query<{ merchant_id: string; sku: string; observed: Count; trailing: Count; first_seen_at: string | Date | null }>(
    `SELECT c.merchant_id, s.sku, m.first_seen_at,
       count(*) FILTER (WHERE ${inWindow('c.opened_at')}) AS observed,
       count(*) FILTER (WHERE ${inBaseline('c.opened_at')}) AS trailing
     FROM ${t(EARLY_WARNING_TABLES.cases)} c CROSS JOIN LATERAL unnest(c.skus) AS s(sku) ${merchants}
     WHERE ${inEither('c.opened_at')}
     GROUP BY c.merchant_id, s.sku, m.first_seen_at ORDER BY c.merchant_id, s.sku`,
    params,
  );
  return skus.rows.map((r) => ({
    kind: 'COMPLAINT_SPIKE',
    scope: { merchantId: r.merchant_id, sku: r.sku },
    counts: { observed: n(r.observed), trailing: n(r.trailing), historyDays: historyDays(r.first_seen_at, windowStart) },
  }));
}

/** Per merchant: the rows of `table` that are hits (`hit`) among all, in the window and in the baseline, timed by `col`. */
async function rates(
  { sql, t, params, inWindow, inBaseline, inEither }: Measuring,
  kind: 'NEGATIVE_SENTIMENT_SURGE' | 'SLA_BREACH_RATE',
  table: string,
  hit: string,
  col: string,
): Promise<ScopedMeasurement[]> {
  const counted = await sql.query<{ merchant_id: string; hits: Count; total: Count; base_hits: Count; base_total: Count }>(
    `SELECT merchant_id,
       count(*) FILTER (WHERE ${hit} AND ${inWindow(col)}) AS hits,
       count(*) FILTER (WHERE ${inWindow(col)}) AS total,
       count(*) FILTER (WHERE ${hit} AND ${inBaseline(col)}) AS base_hits,
       count(*) FILTER (WHERE ${inBaseline(col)}) AS base_total
     FROM ${t(table)} WHERE ${inEither(col)} GROUP BY merchant_id ORDER BY merchant_id`,
    params,
  );
  return counted.rows.map((r) => ({
    kind,
    scope: { merchantId: r.merchant_id },
    counts: { windowHits: n(r.hits), windowTotal: n(r.total), baselineHits: n(r.base_hits), baselineTotal: n(r.base_total) },
  }));
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
