/** One key per signal (its kind and scope), and the event stream that records its raising and clearing. */
import type { SignalKind, SignalScope } from './early-warning-signal';

/** Stream category of early warnings: `early-warning-<signal key>`. */
export const EARLY_WARNING_STREAM_PREFIX = 'early-warning-';

/** `COMPLAINT_SPIKE:m=<merchant>[:sku=<sku>][:reason=<reason>]`, each part URI-encoded so no two scopes share a key. */
export function signalKey(kind: SignalKind, scope: SignalScope): string {
  const parts: string[] = [kind];
  if (scope.merchantId !== undefined) parts.push(`m=${encodeURIComponent(scope.merchantId)}`);
  if (scope.sku !== undefined) parts.push(`sku=${encodeURIComponent(scope.sku)}`);
  if (scope.reason !== undefined) parts.push(`reason=${encodeURIComponent(scope.reason)}`);
  return parts.join(':');
}

export function signalStreamId(key: string): string {
  return `${EARLY_WARNING_STREAM_PREFIX}${key}`;
}

export function isEarlyWarningStream(streamId: string): boolean {
  return streamId.startsWith(EARLY_WARNING_STREAM_PREFIX);
}

export function signalKeyOf(streamId: string): string {
  return streamId.slice(EARLY_WARNING_STREAM_PREFIX.length);
}
