/**
 * Event schema versions and their upcasters. Each event type has a current version (1 unless listed in
 * `CURRENT_VERSIONS`); an upcaster turns a type's data from version N into version N+1, and `upcastEventData`
 * chains them so every reader gets the current shape, whatever release wrote the event. Pure: upcasters never
 * touch what they are given (the hash chain covers the event as stored, so the stored form is never changed),
 * and they are total — data too malformed to upcast passes through for the reader's own checks to refuse.
 * A version newer than this release knows is refused with `UnknownEventVersionError`, never guessed at.
 */
import type { CustomerTier, TierSource } from './case-vocabulary';

/** The version every event type starts at. */
export const EVENT_SCHEMA_VERSION = 1;

/** Event types whose data changed shape, with their current version. Others are at `EVENT_SCHEMA_VERSION`. */
const CURRENT_VERSIONS: Readonly<Record<string, number>> = {
  CaseOpened: 2,
};

type EventData = Record<string, unknown>;
type Upcaster = (data: EventData) => EventData;

/**
 * `CaseOpened` v1 → v2: the tier and where it came from become one fact. v1 had `customerTier` and, from the
 * release that looked the tier up in the loyalty view on, an optional `tierSource`; v2 has
 * `tier: { level, source? }` (`source` stays absent when v1 did not record it: it is not guessed).
 */
function caseOpenedV1ToV2(data: EventData): EventData {
  const { customerTier, tierSource, ...rest } = data;
  const tier: { level: CustomerTier; source?: TierSource } = { level: customerTier as CustomerTier };
  if (tierSource !== undefined) tier.source = tierSource as TierSource;
  return { ...rest, tier };
}

/** Upcasters by event type and the version they read. */
const UPCASTERS: Readonly<Record<string, Readonly<Record<number, Upcaster>>>> = {
  CaseOpened: { 1: caseOpenedV1ToV2 },
};

/** A stored event's version is newer than this release knows (written by a later release): refused, not guessed. */
export class UnknownEventVersionError extends Error {
  readonly code = 'UNKNOWN_EVENT_VERSION';
  constructor(
    readonly type: string,
    readonly version: number,
    readonly newest: number,
  ) {
    super(`${type} version ${version} is unknown (this release reads 1 to ${newest})`);
    this.name = 'UnknownEventVersionError';
  }
}

/** The version this release writes for `type`. */
export function currentEventVersion(type: string): number {
  return CURRENT_VERSIONS[type] ?? EVENT_SCHEMA_VERSION;
}

/**
 * The event's data in its type's current version. Data already current is returned as it is (same object);
 * older data is upcast step by step into new objects; a version below 1, not an integer, or newer than current
 * throws `UnknownEventVersionError`. Data that is not an object is returned unchanged (readers refuse it).
 */
export function upcastEventData(type: string, version: number, data: unknown): unknown {
  const newest = currentEventVersion(type);
  if (!Number.isInteger(version) || version < 1 || version > newest) throw new UnknownEventVersionError(type, version, newest);
  if (version === newest || !data || typeof data !== 'object' || Array.isArray(data)) return data;
  let current = data as EventData;
  for (let v = version; v < newest; v += 1) {
    const step = UPCASTERS[type]?.[v];
    if (!step) throw new Error(`no upcaster for ${type} v${v} → v${v + 1}`);
    current = step(current);
  }
  return current;
}

/** Every registered step, for a test that each version from 1 to current has its upcaster. */
export function upcasterChain(type: string): number[] {
  return Object.keys(UPCASTERS[type] ?? {})
    .map(Number)
    .sort((a, b) => a - b);
}
