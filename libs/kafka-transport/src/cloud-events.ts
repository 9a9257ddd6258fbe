/**
 * CloudEvents 1.0 Kafka protocol binding. The relay writes **structured content mode** by default: the record's
 * value is the whole CloudEvent as JSON (`content-type: application/cloudevents+json`, attributes and `data` in one
 * object), so a record carries one header instead of seventeen. Binary content mode (data as the value, every
 * attribute a `ce_` header) is still written on request and always read: records already in a topic keep
 * projecting. The key is the case (or order) id, or an early warning's signal key, in both modes. Extension
 * attributes carry the rest of the event's metadata so a consumer rebuilds exactly what the store holds; the trace
 * the event was created in travels as the distributed-tracing extension (`traceparent`, `tracestate`; `ce_`
 * headers in binary mode), the relay's publish span as the record's own `traceparent` header. Decoding refuses,
 * with a reason code, what is not one of ours (see record-decoding.ts and known-events.ts); a known older schema
 * version is upcast.
 */
import { upcastEventData } from '@aftersales/case-domain';
import { isEarlyWarningStream, signalKeyOf } from '@aftersales/early-warning';
import type { StoredEvent } from '@aftersales/event-store';
import type { TraceCarrier } from '@aftersales/observability';
import type { ProjectedEvent } from '@aftersales/read-models';
import { RecordRejectedError } from '@aftersales/read-models';
import { checkKnownVersion } from './known-events';
import { checkSize, headerText, strictJson, strictText } from './record-decoding';

export const CE_SOURCE = '/aftersales/cases';
/** The source of early warnings (`early-warning-<key>` streams). */
export const CE_SOURCE_EARLY_WARNINGS = '/aftersales/early-warnings';

/** How CloudEvents are laid out on a record (CloudEvents Kafka protocol binding, section 3). */
export const CLOUDEVENTS_MODES = ['structured', 'binary'] as const;
export type CloudEventsMode = (typeof CLOUDEVENTS_MODES)[number];
/** What the relay writes unless told otherwise (KAFKA_CLOUDEVENTS_MODE); consumers read both. */
export const CLOUDEVENTS_MODE: CloudEventsMode = 'structured';
/** The `content-type` of a structured-mode record; binary-mode records say `application/json` (their data's type). */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json';
const BINARY_PREFIX = 'ce_';

/**
 * Every attribute the relay writes, in writing order, with what it holds: the structured envelope's members, the
 * binary mode's headers (`ce_` + name), and the AsyncAPI document's description of both. `always`: every record
 * of the relay has it.
 */
export const CLOUD_EVENT_ATTRIBUTES: ReadonlyArray<{ name: string; description: string; always?: boolean }> = [
  { name: 'specversion', description: '"1.0"', always: true },
  { name: 'id', description: 'event id (UUID)', always: true },
  { name: 'source', description: `${CE_SOURCE} (${CE_SOURCE_EARLY_WARNINGS} for early warnings)`, always: true },
  { name: 'type', description: 'aftersales.<EventType>.v<schemaVersion>', always: true },
  { name: 'subject', description: 'stream id' },
  { name: 'time', description: 'occurred-at (ISO 8601)', always: true },
  { name: 'streamid', description: 'stream id: case-<caseId>, order-<orderId> or early-warning-<signal key>', always: true },
  { name: 'revision', description: 'revision in the stream (0-based)', always: true },
  { name: 'position', description: 'position in the store’s global feed' },
  { name: 'recordedat', description: 'recorded-at (ISO 8601)' },
  { name: 'eventtype', description: 'event type', always: true },
  { name: 'schemaversion', description: 'schema version of the data' },
  { name: 'actortype', description: 'customer | agent | system | service', always: true },
  { name: 'actorid', description: 'actor id', always: true },
  { name: 'actorvia', description: 'relay of a customer action, type:id' },
  { name: 'correlationid', description: 'correlation id' },
  { name: 'causationid', description: 'causation id' },
  { name: 'traceparent', description: 'W3C trace context the event was created in (distributed-tracing extension)' },
  { name: 'tracestate', description: 'W3C trace state of that context' },
];
/** What a consumer cannot do without (a record lacking one is refused as `schema`). */
const REQUIRED = ['id', 'eventtype', 'streamid', 'revision', 'time', 'actortype', 'actorid'];

type Headers = Record<string, string>;
export interface KafkaRecord {
  key: string;
  value: string;
  headers: Headers;
}

export function streamKey(streamId: string): string {
  if (isEarlyWarningStream(streamId)) return signalKeyOf(streamId);
  return streamId.slice(streamId.indexOf('-') + 1);
}

/** The event's CloudEvents attributes as text (names without the binary mode's `ce_`). */
function attributesOf(event: StoredEvent): Record<string, string> {
  const actor = event.metadata.actor;
  const attributes: Record<string, string> = {
    specversion: '1.0',
    id: event.eventId,
    source: isEarlyWarningStream(event.streamId) ? CE_SOURCE_EARLY_WARNINGS : CE_SOURCE,
    type: `aftersales.${event.type}.v${event.schemaVersion}`,
    subject: event.streamId,
    time: event.metadata.occurredAt,
    streamid: event.streamId,
    revision: String(event.revision),
    position: event.position,
    recordedat: event.recordedAt,
    eventtype: event.type,
    schemaversion: String(event.schemaVersion),
    actortype: actor.type,
    actorid: actor.id,
    correlationid: event.metadata.correlationId ?? '',
    causationid: event.metadata.causationId ?? '',
  };
  if (actor.via) attributes.actorvia = `${actor.via.type}:${actor.via.id}`;
  const created = event.metadata as TraceCarrier;
  if (typeof created.traceparent === 'string') attributes.traceparent = created.traceparent;
  if (typeof created.tracestate === 'string') attributes.tracestate = created.tracestate;
  return attributes;
}

/** The record for an event; `hop` is the relay's publish span, carried in the record's own `traceparent` header. */
export function toKafkaMessage(event: StoredEvent, hop: TraceCarrier = {}, mode: CloudEventsMode = CLOUDEVENTS_MODE): KafkaRecord {
  const attributes = attributesOf(event);
  let headers: Headers;
  let value: string;
  if (mode === 'structured') {
    headers = { 'content-type': CLOUDEVENTS_JSON };
    value = JSON.stringify({ ...attributes, datacontenttype: 'application/json', data: event.data });
  } else {
    headers = { 'content-type': 'application/json' };
    for (const name in attributes) headers[BINARY_PREFIX + name] = attributes[name];
    value = JSON.stringify(event.data);
  }
  if (hop.traceparent) headers.traceparent = hop.traceparent;
  if (hop.tracestate) headers.tracestate = hop.tracestate;
  return { key: streamKey(event.streamId), value, headers };
}

type Message = { key?: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> };
/** An attribute's text by name (without `ce_`); undefined when absent. */
type Attributes = (name: string) => string | undefined;
/** How a refusal names an attribute: its header in binary mode, its member in structured mode. */
const binaryLabel = (name: string) => BINARY_PREFIX + name;
const structuredLabel = (name: string) => name;

/** A decoded record: the event, and the trace context it was created in (when it says). */
export interface DecodedCloudEvent {
  event: ProjectedEvent;
  created: TraceCarrier;
}

/** The trace context a consumer continues: this hop's `traceparent` header, else the one the event was created in. */
export function traceContextOf(headers: Record<string, unknown> | undefined, created?: TraceCarrier): TraceCarrier {
  const text = (name: string) => {
    try {
      return headerText(headers, name);
    } catch {
      return undefined; // unreadable trace headers start a new trace; decoding judges the record itself
    }
  };
  const hop = text('traceparent');
  if (hop) return { traceparent: hop, tracestate: text('tracestate') };
  if (created?.traceparent) return created;
  return { traceparent: text('ce_traceparent'), tracestate: text('ce_tracestate') };
}

/**
 * Decodes a record of either mode; throws a RecordRejectedError with its reason code when it is not one of ours
 * (the caller dead-letters it): too large, undecodable bytes, not JSON, a wrong schema, an unknown type or version.
 */
export function fromKafkaMessage(message: Message, maxRecordBytes = Number.POSITIVE_INFINITY): ProjectedEvent {
  return decodeCloudEvent(message, maxRecordBytes).event;
}

export function decodeCloudEvent(message: Message, maxRecordBytes = Number.POSITIVE_INFINITY): DecodedCloudEvent {
  checkSize(message.key, message.value, maxRecordBytes);
  const contentType = headerText(message.headers, 'content-type')?.toLowerCase();
  if (contentType?.startsWith('application/cloudevents')) return structured(message, contentType);
  const attribute = binaryAttributes(message.headers);
  const data = () => {
    if (!message.value) throw new RecordRejectedError('schema', 'message has no data');
    return strictJson(strictText(message.value, 'message data'), 'message data');
  };
  const event = projectedEvent(attribute, data, binaryLabel);
  return { event, created: {} };
}

/** Binary mode: each attribute a `ce_` header, read once. */
function binaryAttributes(headers: Record<string, unknown> | undefined): Attributes {
  const read = new Map<string, string | undefined>();
  return (name) => {
    if (!read.has(name)) read.set(name, headerText(headers, BINARY_PREFIX + name));
    return read.get(name);
  };
}

/** Structured mode: the value is the CloudEvent, attributes and `data` in one JSON object. */
function structured(message: Message, contentType: string): DecodedCloudEvent {
  if (!/^application\/cloudevents\+json\s*(;|$)/.test(contentType))
    throw new RecordRejectedError('schema', `CloudEvents format '${contentType.slice(0, 60)}' is not JSON`);
  if (!message.value) throw new RecordRejectedError('schema', 'message has no CloudEvent');
  const envelope = strictJson(strictText(message.value, 'message value'), 'message value');
  if (!envelope || typeof envelope !== 'object' || Array.isArray(envelope))
    throw new RecordRejectedError('schema', 'message value is not a CloudEvent (a JSON object)');
  const members = envelope as Record<string, unknown>;
  const attribute: Attributes = (name) => {
    const value = members[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new RecordRejectedError('schema', `CloudEvents attribute ${name} is not a string`);
  };
  const data = () => {
    if (members.data_base64 !== undefined) throw new RecordRejectedError('schema', 'binary data (data_base64) is not accepted');
    if (members.data === undefined) throw new RecordRejectedError('schema', 'message has no data');
    return members.data;
  };
  const event = projectedEvent(attribute, data, structuredLabel);
  const traceparent = attribute('traceparent');
  return { event, created: traceparent ? { traceparent, tracestate: attribute('tracestate') } : {} };
}

/** The event the attributes and data describe, checked in the same order whatever the mode. */
function projectedEvent(attribute: Attributes, readData: () => unknown, label: (name: string) => string): ProjectedEvent {
  if (attribute('specversion') !== '1.0') throw new RecordRejectedError('schema', `not a CloudEvents 1.0 message (${label('specversion')})`);
  const missing = REQUIRED.filter((name) => !attribute(name));
  if (missing.length) throw new RecordRejectedError('schema', `missing CloudEvents attributes: ${missing.map(label).join(', ')}`);
  const type = attribute('eventtype')!;
  const typeVersion = /\.v(\d+)$/.exec(attribute('type') ?? '')?.[1];
  const version = checkKnownVersion(type, attribute('schemaversion') ?? typeVersion, label('schemaversion'));
  const revision = Number(attribute('revision'));
  if (!Number.isInteger(revision) || revision < 0) throw new RecordRejectedError('schema', `${label('revision')} is not a revision number`);
  const data = readData();
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new RecordRejectedError('schema', 'message data is not a JSON object');
  const via = attribute('actorvia');
  const [viaType, ...viaId] = via ? via.split(':') : [];
  return {
    eventId: attribute('id')!,
    type,
    streamId: attribute('streamid')!,
    revision,
    occurredAt: attribute('time')!,
    recordedAt: attribute('recordedat') ?? attribute('time')!,
    actor: { type: attribute('actortype')!, id: attribute('actorid')!, ...(via ? { via: { type: viaType, id: viaId.join(':') } } : {}) },
    correlationId: attribute('correlationid'),
    causationId: attribute('causationid'),
    // An older version is upcast to the current one here, so every projector reads one shape.
    data: upcastEventData(type, version, data) as Record<string, unknown>,
  };
}
