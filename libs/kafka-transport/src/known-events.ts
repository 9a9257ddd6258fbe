/**
 * The event types and schema versions a consumer of this release understands. A record of another type, or of a
 * version newer than this release knows, is dead-lettered (`unknown_type`, `unknown_version`) rather than
 * guessed at; older versions are upcast on read (`upcastEventData` of the domain's event-versions registry).
 */
import { CASE_EVENT_TYPES, currentEventVersion } from '@aftersales/case-domain';
import { EARLY_WARNING_EVENT_TYPES } from '@aftersales/early-warning';
import { ORDER_FACT_TYPES } from '@aftersales/order-facts';
import { RecordRejectedError } from '@aftersales/read-models';

const KNOWN_TYPES = new Set<string>([...CASE_EVENT_TYPES, ...ORDER_FACT_TYPES, ...EARLY_WARNING_EVENT_TYPES]);
const ORDER_TYPES = new Set<string>(ORDER_FACT_TYPES);

/** Highest schema version understood per event type (order facts are at version 1). */
export function newestVersionOf(type: string): number | undefined {
  if (ORDER_TYPES.has(type)) return 1;
  return KNOWN_TYPES.has(type) ? currentEventVersion(type) : undefined;
}

/** Parses a schema version attribute; refuses one that is not a known version of `type`. */
export function checkKnownVersion(type: string, raw: string | undefined, attribute: string): number {
  const newest = newestVersionOf(type);
  if (newest === undefined) throw new RecordRejectedError('unknown_type', `event type '${type}' is not one this release knows`);
  if (raw === undefined) throw new RecordRejectedError('schema', `missing ${attribute}`);
  const version = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(version) || version < 1 || version > newest) {
    throw new RecordRejectedError('unknown_version', `${type} version '${raw.slice(0, 40)}' is unknown (this release reads 1 to ${newest})`);
  }
  return version;
}
