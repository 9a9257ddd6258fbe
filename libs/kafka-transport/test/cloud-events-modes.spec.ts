/**
 * CloudEvents on Kafka in both content modes: the relay writes structured records (the whole event as JSON in the
 * value, one `content-type` header) by default and binary ones on request; a consumer reads either into exactly
 * the event the store holds, and refuses a structured record that is not one of ours with the same reason codes
 * as a binary one. No broker needed: this is the encoding and decoding alone.
 */
import type { KafkaMessage } from 'kafkajs';
import type { StoredEvent } from '@aftersales/event-store';
import { fromStoredEvent } from '@aftersales/read-models';
import type { DeadLetterReason } from '@aftersales/read-models';
import { reasonOf } from './rejection-reason';
import { CLOUDEVENTS_JSON, CLOUDEVENTS_MODE, decodeCloudEvent, fromKafkaMessage, toKafkaMessage, toSourceItem, traceContextOf } from '../src';
import type { CloudEventsMode, KafkaRecord } from '../src';

const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const HOP = '00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01';

const stored = (over: Partial<StoredEvent> = {}): StoredEvent => ({
  eventId: '2f1b6c1e-8d7a-4c55-9a5e-0c3a1f1b2d3e',
  type: 'CaseAssigned',
  schemaVersion: 1,
  data: { agentId: 'agent-7', team: 'returns', note: 'ünïcode ✓' },
  metadata: {
    caseId: 'c-42',
    occurredAt: '2026-03-02T09:00:00.000Z',
    actor: { type: 'customer', id: 'cust-1', via: { type: 'service', id: 'web:shop' } },
    correlationId: 'corr-1',
    causationId: 'cmd-1',
    traceparent: TRACE,
  },
  streamId: 'case-c-42',
  revision: 3,
  position: '000000000000000123',
  recordedAt: '2026-03-02T09:00:00.120Z',
  ...over,
});

/** What a consumer receives for a record the relay wrote: the same key, value and headers as bytes. */
const received = (record: KafkaRecord, offset = '0'): KafkaMessage => ({
  offset,
  key: Buffer.from(record.key),
  value: Buffer.from(record.value),
  headers: Object.fromEntries(Object.entries(record.headers).map(([name, value]) => [name, Buffer.from(value)])),
  timestamp: '0',
  attributes: 0,
});

const structuredRecord = (envelope: unknown, headers: Record<string, string | Buffer> = { 'content-type': CLOUDEVENTS_JSON }) => ({
  key: Buffer.from('c-42'),
  value: envelope === null ? null : Buffer.isBuffer(envelope) ? envelope : Buffer.from(typeof envelope === 'string' ? envelope : JSON.stringify(envelope)),
  headers,
});
const good = JSON.parse(toKafkaMessage(stored(), {}, 'structured').value) as Record<string, unknown>;
const without = (name: string) => Object.fromEntries(Object.entries(good).filter(([n]) => n !== name));

describe('Writing CloudEvents records', () => {
  it('writes structured mode by default: the whole event in the value, one content-type header, the case id as key', () => {
    expect(CLOUDEVENTS_MODE).toBe('structured');
    const record = toKafkaMessage(stored());
    expect(record.key).toBe('c-42');
    expect(record.headers).toEqual({ 'content-type': 'application/cloudevents+json' });
    expect(JSON.parse(record.value)).toMatchObject({
      specversion: '1.0',
      id: '2f1b6c1e-8d7a-4c55-9a5e-0c3a1f1b2d3e',
      source: '/aftersales/cases',
      type: 'aftersales.CaseAssigned.v1',
      subject: 'case-c-42',
      time: '2026-03-02T09:00:00.000Z',
      datacontenttype: 'application/json',
      revision: '3',
      actorvia: 'service:web:shop',
      traceparent: TRACE,
      data: { agentId: 'agent-7', team: 'returns', note: 'ünïcode ✓' },
    });
  });

  it('writes binary mode on request: the data as the value, each attribute a ce_ header', () => {
    const record = toKafkaMessage(stored(), {}, 'binary');
    expect(JSON.parse(record.value)).toEqual({ agentId: 'agent-7', team: 'returns', note: 'ünïcode ✓' });
    expect(record.headers).toMatchObject({ 'content-type': 'application/json', ce_specversion: '1.0', ce_eventtype: 'CaseAssigned', ce_traceparent: TRACE });
  });

  it('carries the publish span of the hop in the record’s own traceparent header, in either mode', () => {
    for (const mode of ['structured', 'binary'] as const) expect(toKafkaMessage(stored(), { traceparent: HOP }, mode).headers.traceparent).toBe(HOP);
  });
});

describe('Reading CloudEvents records', () => {
  it.each<CloudEventsMode>(['structured', 'binary'])('%s: event → record → projected event is the event the store holds', (mode) => {
    for (const event of [stored(), stored({ metadata: { ...stored().metadata, actor: { type: 'agent', id: 'a-1' } } })]) {
      expect(fromKafkaMessage(received(toKafkaMessage(event, {}, mode)))).toEqual(fromStoredEvent(event));
    }
  });

  it('continues the hop’s trace, else the trace the event was created in (structured: the distributed-tracing attribute)', () => {
    for (const mode of ['structured', 'binary'] as const) {
      const message = received(toKafkaMessage(stored(), {}, mode));
      expect(traceContextOf(message.headers, decodeCloudEvent(message).created).traceparent).toBe(TRACE);
      const hopped = received(toKafkaMessage(stored(), { traceparent: HOP }, mode));
      expect(traceContextOf(hopped.headers, decodeCloudEvent(hopped).created).traceparent).toBe(HOP);
    }
  });

  it.each<[string, DeadLetterReason | 'accepted', ReturnType<typeof structuredRecord>]>([
    ['a good record', 'accepted', structuredRecord(good)],
    ['a good record with parameters in its content type', 'accepted', structuredRecord(good, { 'content-type': `${CLOUDEVENTS_JSON}; charset=utf-8` })],
    ['a revision written as a JSON number', 'accepted', structuredRecord({ ...good, revision: 3 })],
    ['bytes that are not UTF-8', 'undecodable', structuredRecord(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
    ['a NUL byte in the value', 'undecodable', structuredRecord(Buffer.from(JSON.stringify(good).replace('agent-7', 'agent\u00007')))],
    ['a \\u0000 escape in an attribute', 'undecodable', structuredRecord({ ...good, actorid: 'a\u0000b' })],
    ['a value that is not JSON', 'invalid_json', structuredRecord('{ nope')],
    ['a value that is an array', 'schema', structuredRecord([good])],
    ['no value at all', 'schema', structuredRecord(null)],
    ['another CloudEvents format', 'schema', structuredRecord(good, { 'content-type': 'application/cloudevents+avro' })],
    ['a batch of CloudEvents', 'schema', structuredRecord(good, { 'content-type': 'application/cloudevents-batch+json' })],
    ['no specversion', 'schema', structuredRecord(without('specversion'))],
    ['a missing attribute', 'schema', structuredRecord(without('actorid'))],
    ['an attribute that is an object', 'schema', structuredRecord({ ...good, streamid: { id: 'case-c-42' } })],
    ['no data', 'schema', structuredRecord(without('data'))],
    ['binary data', 'schema', structuredRecord({ ...without('data'), data_base64: 'e30=' })],
    ['data that is an array', 'schema', structuredRecord({ ...good, data: [1, 2] })],
    ['an unknown event type', 'unknown_type', structuredRecord({ ...good, eventtype: 'CaseTeleported', type: 'aftersales.CaseTeleported.v1' })],
    ['a version from the future', 'unknown_version', structuredRecord({ ...good, schemaversion: '99', type: 'aftersales.CaseAssigned.v99' })],
  ])('structured: %s → %s', (_, expected, record) => {
    expect(reasonOf(() => fromKafkaMessage(record))).toBe(expected);
  });

  it('structured: refuses a record over the limit before reading it', () => {
    expect(reasonOf(() => fromKafkaMessage(structuredRecord(good), 64))).toBe('too_large');
  });

  it('structured: hands the runner a poison item with its reason and the exact original bytes', () => {
    const bytes = Buffer.from(JSON.stringify({ ...good, eventtype: 'CaseTeleported' }));
    const item = toSourceItem({ ...received(toKafkaMessage(stored())), value: bytes, offset: '9' });
    expect(item.poison).toMatchObject({ reason: 'unknown_type' });
    expect(item.raw?.value?.equals(bytes)).toBe(true);
    expect(item.raw?.headers).toEqual({ 'content-type': Buffer.from(CLOUDEVENTS_JSON) });
    expect(item.position).toBe('9');
  });
});
