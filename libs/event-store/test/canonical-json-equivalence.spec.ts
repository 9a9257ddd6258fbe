/**
 * The `canonicalize` package (RFC 8785) and `uuid`'s version 5 replaced hand-written code; every hash and every
 * name-based id written before must come out the same. The previous encoder is kept here, verbatim, as the
 * reference for what is stored: the two agree on every JSON value (generated, and as case events look), and
 * known hashes and ids written by the previous code are reproduced. Where they differ is outside JSON — NaN and
 * ±Infinity (now refused instead of encoded as null) and objects with toJSON such as Date (now encoded as their
 * JSON form, as they are stored, instead of as `{}`) — and no stored event can hold either: the store keeps JSON.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalHash, canonicalJson, chainPayload, nameBasedUuid } from '../src';

/** The encoder every stored hash was computed with, before the package. */
function previousCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(previousCanonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${previousCanonicalJson(v)}`).join(',')}}`;
}

/** The name-based ids of idempotent openings, before the package. */
function previousNameBasedUuid(name: string): string {
  const hash = createHash('sha1').update(Buffer.from('3f1b6c2a9d4e4f0b8a7c5e6d1f2a3b4c', 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const OPENED = {
  streamId: 'case-5b0c2f7e-0000-4000-8000-000000000001',
  eventId: '00000000-0000-4000-8000-000000000001',
  type: 'CaseOpened',
  schemaVersion: 1,
  data: {
    caseId: '5b0c2f7e-0000-4000-8000-000000000001',
    orderId: 'ord-1001',
    items: [{ sku: 'SHOE-42', quantity: 1, amount: 59.9 }],
    reason: '尺码不合适 😀',
    currency: 'EUR',
    requestedResolution: undefined,
  },
  metadata: { occurredAt: '2026-03-02T09:00:00.000Z', actor: { type: 'service', id: 'shop' }, correlationId: 'c-1', causationId: 'cmd-1' },
};

/** Shapes of case events as they are appended: envelopes with nested data, optional members left undefined. */
const eventEnvelope = fc.record({
  streamId: fc.string(),
  eventId: fc.uuid(),
  type: fc.constantFrom('CaseOpened', 'CaseAssigned', 'RefundIssued', 'CaseClosed', 'FollowUpRecorded'),
  schemaVersion: fc.integer({ min: 1, max: 5 }),
  data: fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.constant(undefined))),
  metadata: fc.record(
    {
      occurredAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      actor: fc.record({ type: fc.constantFrom('agent', 'service', 'system', 'customer' as const), id: fc.string() }),
      correlationId: fc.uuid(),
      causationId: fc.uuid(),
      idempotencyKey: fc.string(),
    },
    { requiredKeys: ['occurredAt', 'actor', 'correlationId', 'causationId'] },
  ),
});

describe('canonical JSON by the RFC 8785 package', () => {
  it('encodes every JSON value exactly as the previous encoder did', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => canonicalJson(value) === previousCanonicalJson(value)),
      { numRuns: 2000 },
    );
  });

  it('gives every case event envelope the chain payload it was hashed with', () => {
    fc.assert(
      fc.property(eventEnvelope, (event) => chainPayload(event.streamId, event) === previousCanonicalJson({ ...event })),
      { numRuns: 1000 },
    );
  });

  it('keeps a hash the previous encoder stored', () => {
    expect(canonicalHash(OPENED)).toBe('928c60f87258b89ef7498b0335012f5d6933ec76e23c8f046e560ce1f5e014c4');
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('name-based ids by the uuid package', () => {
  it('gives every name the id the previous code gave it', () => {
    expect(nameBasedUuid('open:service:shop:ord-1001-return-1')).toBe('b30b9ed2-0734-5968-aeb2-51eecfd7ac41');
    expect(nameBasedUuid('')).toBe('f1fe03ed-3ccc-50f4-8715-6185ece329f4');
    expect(nameBasedUuid('退货')).toBe('138a625a-f1fe-5145-8d84-24237fcd7fbf');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => nameBasedUuid(name) === previousNameBasedUuid(name)),
      { numRuns: 1000 },
    );
  });
});
