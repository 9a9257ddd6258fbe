/**
 * The early-warning signal as the API answers it and the console shows it (spec section 4). Types only and no
 * imports, so the console's browser bundle shares this one definition.
 */

/** The kinds of signal, in the order the view lists them. */
export const SIGNAL_KINDS = ['COMPLAINT_SPIKE', 'NEGATIVE_SENTIMENT_SURGE', 'REPEAT_CONTACTS', 'SLA_BREACH_RATE'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** What a signal is about: always a merchant here; a SKU for a spike of one product's cases. */
export interface SignalScope {
  merchantId?: string;
  sku?: string;
  reason?: string;
}

export interface EarlyWarningSignal {
  kind: SignalKind;
  scope: SignalScope;
  /** The observation window as an ISO 8601 duration (`PT24H`). */
  window: string;
  /** The measure in the window: a count of cases, or a share (0..1). */
  observed: number;
  /** The same measure over the trailing baseline (a daily mean of counts, or a share). */
  baseline: number;
  /** How far `observed` is above `baseline` (their ratio, the baseline floored: see docs/early-warning.md). */
  score: number;
  /** When the signal was raised. */
  since: string;
}
