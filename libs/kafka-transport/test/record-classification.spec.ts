/**
 * Every way a record can be unfit for a consumer maps to one reason code, for the case-events topic (CloudEvents
 * binary mode) and for orders.events.v1; a good record decodes. No broker needed: this is the decoding alone.
 */
import type { KafkaMessage } from 'kafkajs';
import type { DeadLetterReason } from '@aftersales/read-models';
import { reasonOf } from './rejection-reason';
import { decodeOrderFactRecord, fromKafkaMessage, toSourceItem } from '../src';

const goodHeaders = (over: Record<string, string | Buffer> = {}) => ({
  ce_specversion: '1.0',
  ce_id: 'e-1',
  ce_type: 'aftersales.CaseAcknowledged.v1',
  ce_eventtype: 'CaseAcknowledged',
  ce_schemaversion: '1',
  ce_streamid: 'case-1',
  ce_revision: '1',
  ce_time: '2026-03-02T09:00:00.000Z',
  ce_actortype: 'agent',
  ce_actorid: 'agent-1',
  ...over,
});
const caseRecord = (value: Buffer | string | null, headers: Record<string, string | Buffer> = goodHeaders()) => ({
  key: Buffer.from('1'),
  value: typeof value === 'string' ? Buffer.from(value) : value,
  headers,
});
const orderRecord = (value: Buffer | string | null, headers: Record<string, string | Buffer> = {}) => ({
  key: Buffer.from('ord-1'),
  value: typeof value === 'string' ? Buffer.from(value) : value,
  headers,
});
const fact = {
  eventId: 'oms-1',
  type: 'OrderPlaced',
  orderId: 'ord-1',
  customerId: 'c-1',
  merchantId: 'm-1',
  occurredAt: '2026-03-01T10:00:00Z',
  amount: 10,
  currency: 'EUR',
};

describe('Classifying a case-events record', () => {
  it.each<[string, DeadLetterReason | 'accepted', ReturnType<typeof caseRecord>]>([
    ['a good record', 'accepted', caseRecord('{"note":"hi"}')],
    ['a NUL byte in the data', 'undecodable', caseRecord(Buffer.from('{"note":"a\u0000b"}'))],
    ['a \\u0000 escape in the JSON', 'undecodable', caseRecord('{"note":"a\\u0000b"}')],
    ['bytes that are not UTF-8', 'undecodable', caseRecord(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
    ['a NUL byte in a header', 'undecodable', caseRecord('{}', goodHeaders({ ce_streamid: Buffer.from('case-\u00001') }))],
    ['data that is not JSON', 'invalid_json', caseRecord('{ nope')],
    ['no CloudEvents headers', 'schema', caseRecord('{}', {})],
    ['a missing attribute', 'schema', caseRecord('{}', goodHeaders({ ce_actorid: '' }))],
    ['data that is an array', 'schema', caseRecord('[1,2]')],
    ['no data at all', 'schema', caseRecord(null)],
    ['an unknown event type', 'unknown_type', caseRecord('{}', goodHeaders({ ce_eventtype: 'CaseTeleported', ce_type: 'aftersales.CaseTeleported.v1' }))],
    ['a version from the future', 'unknown_version', caseRecord('{}', goodHeaders({ ce_schemaversion: '99', ce_type: 'aftersales.CaseAcknowledged.v99' }))],
    ['a version that is not a number', 'unknown_version', caseRecord('{}', goodHeaders({ ce_schemaversion: 'one' }))],
  ])('%s → %s', (_, expected, record) => {
    expect(reasonOf(() => fromKafkaMessage(record))).toBe(expected);
  });

  it('refuses a record over the limit before reading it, whatever it holds', () => {
    const big = caseRecord(Buffer.alloc(2048, 0x61));
    expect(reasonOf(() => fromKafkaMessage(big, 1024))).toBe('too_large');
    expect(reasonOf(() => fromKafkaMessage(caseRecord('{"note":"small"}'), 1024))).toBe('accepted');
  });

  it('hands the runner a poison item with its reason and the exact original bytes', () => {
    const bytes = Buffer.from([0x7b, 0x00, 0xff, 0x7d]);
    const message: KafkaMessage = { offset: '7', key: Buffer.from('k'), value: bytes, headers: goodHeaders(), timestamp: '0', attributes: 0 };
    const item = toSourceItem(message);
    expect(item.poison).toMatchObject({ reason: 'undecodable' });
    expect(item.raw?.value?.equals(bytes)).toBe(true);
    expect(item.position).toBe('7');
  });
});

describe('Classifying an orders.events.v1 record', () => {
  it.each<[string, DeadLetterReason | 'accepted', ReturnType<typeof orderRecord>]>([
    ['a good record', 'accepted', orderRecord(JSON.stringify(fact))],
    ['a good record with its version header', 'accepted', orderRecord(JSON.stringify(fact), { ce_schemaversion: '1' })],
    ['a record named as the spec names it', 'accepted', orderRecord(JSON.stringify({ ...fact, type: 'REFUNDED' }), { ce_schemaversion: '1' })],
    ['a stored name that is no wire type', 'unknown_type', orderRecord(JSON.stringify({ ...fact, type: 'OrderRefunded' }))],
    ['an unknown version of a spec-named record', 'unknown_version', orderRecord(JSON.stringify({ ...fact, type: 'PAID' }), { ce_schemaversion: '2' })],
    ['a NUL byte', 'undecodable', orderRecord(Buffer.from(`{"eventId":"a\u0000"}`))],
    ['a \\u0000 escape', 'undecodable', orderRecord(JSON.stringify({ ...fact, customerId: 'c\u0000' }))],
    ['not JSON', 'invalid_json', orderRecord('{ not json')],
    ['JSON that is not an object', 'schema', orderRecord('"just a string"')],
    ['no value', 'schema', orderRecord(null)],
    ['an unknown type', 'unknown_type', orderRecord(JSON.stringify({ ...fact, type: 'OrderTeleported' }))],
    ['an unknown version', 'unknown_version', orderRecord(JSON.stringify(fact), { ce_schemaversion: '2' })],
    ['an unknown version in ce_type', 'unknown_version', orderRecord(JSON.stringify(fact), { ce_type: 'orders.OrderPlaced.v3' })],
  ])('%s → %s', (_, expected, record) => {
    expect(reasonOf(() => decodeOrderFactRecord(record))).toBe(expected);
  });

  it("keeps the intake's wording for a record that is not JSON, and refuses one over the limit", () => {
    expect(() => decodeOrderFactRecord(orderRecord('{ not json'))).toThrow('record is not JSON');
    expect(reasonOf(() => decodeOrderFactRecord(orderRecord(JSON.stringify({ ...fact, note: 'x'.repeat(5000) })), 4096))).toBe('too_large');
  });
});
