/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: the event's data is the message value (JSON), its
 * attributes are `ce_` headers, the key is the case (or order) id, or an early warning's signal key. Extension attributes carry the rest of the
 * event's metadata so a consumer rebuilds exactly what the store holds. Decoding refuses, with a reason code, what
 * is not one of ours (see record-decoding.ts and known-events.ts); a known older schema version is upcast.
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

type Headers = Record<string, string>;

export function streamKey(streamId: string): string {
  if (isEarlyWarningStream(streamId)) return signalKeyOf(streamId);
  return streamId.slice(streamId.indexOf('-') + 1);
}

export function toKafkaMessage(event: StoredEvent, hop: TraceCarrier = {}): { key: string; value: string; headers: Headers } {
  const actor = event.metadata.actor;
  const headers: Headers = {
    ce_specversion: '1.0',
    ce_id: event.eventId,
    ce_source: isEarlyWarningStream(event.streamId) ? CE_SOURCE_EARLY_WARNINGS : CE_SOURCE,
    ce_type: `aftersales.${event.type}.v${event.schemaVersion}`,
    ce_subject: event.streamId,
    ce_time: event.metadata.occurredAt,
    'content-type': 'application/json',
    ce_streamid: event.streamId,
    ce_revision: String(event.revision),
    ce_position: event.position,
    ce_recordedat: event.recordedAt,
    ce_eventtype: event.type,
    ce_schemaversion: String(event.schemaVersion),
    ce_actortype: actor.type,
    ce_actorid: actor.id,
    ce_correlationid: event.metadata.correlationId ?? '',
    ce_causationid: event.metadata.causationId ?? '',
  };
  if (actor.via) headers.ce_actorvia = `${actor.via.type}:${actor.via.id}`;
  const created = event.metadata as TraceCarrier;
  if (typeof created.traceparent === 'string') headers.ce_traceparent = created.traceparent;
  if (typeof created.tracestate === 'string') headers.ce_tracestate = created.tracestate;
  if (hop.traceparent) headers.traceparent = hop.traceparent;
  if (hop.tracestate) headers.tracestate = hop.tracestate;
  return { key: streamKey(event.streamId), value: JSON.stringify(event.data), headers };
}

/** The trace context a consumer continues: this hop's `traceparent`, else the event's own `ce_traceparent`. */
export function traceContextOf(headers: Record<string, unknown> | undefined): TraceCarrier {
  const text = (name: string) => {
    try {
      return headerText(headers, name);
    } catch {
      return undefined; // unreadable trace headers start a new trace; decoding judges the record itself
    }
  };
  const hop = text('traceparent');
  if (hop) return { traceparent: hop, tracestate: text('tracestate') };
  return { traceparent: text('ce_traceparent'), tracestate: text('ce_tracestate') };
}

/**
 * Decodes a message; throws a RecordRejectedError with its reason code when it is not one of ours (the caller
 * dead-letters it): too large, undecodable bytes, not JSON, a wrong schema, an unknown type or version.
 */
export function fromKafkaMessage(
  message: { key?: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> },
  maxRecordBytes = Number.POSITIVE_INFINITY,
): ProjectedEvent {
  checkSize(message.key, message.value, maxRecordBytes);
  const h = message.headers;
  // Each header is read once (several are asked for twice below).
  const read = new Map<string, string | undefined>();
  const attribute = (name: string) => {
    if (!read.has(name)) read.set(name, headerText(h, name));
    return read.get(name);
  };
  if (attribute('ce_specversion') !== '1.0') throw new RecordRejectedError('schema', 'not a CloudEvents 1.0 message (ce_specversion)');
  const required = ['ce_id', 'ce_eventtype', 'ce_streamid', 'ce_revision', 'ce_time', 'ce_actortype', 'ce_actorid'];
  const missing = required.filter((name) => !attribute(name));
  if (missing.length) throw new RecordRejectedError('schema', `missing CloudEvents attributes: ${missing.join(', ')}`);
  const type = attribute('ce_eventtype')!;
  const typeVersion = /\.v(\d+)$/.exec(attribute('ce_type') ?? '')?.[1];
  const version = checkKnownVersion(type, attribute('ce_schemaversion') ?? typeVersion, 'ce_schemaversion');
  const revision = Number(attribute('ce_revision'));
  if (!Number.isInteger(revision) || revision < 0) throw new RecordRejectedError('schema', 'ce_revision is not a revision number');
  if (!message.value) throw new RecordRejectedError('schema', 'message has no data');
  const data = strictJson(strictText(message.value, 'message data'), 'message data');
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new RecordRejectedError('schema', 'message data is not a JSON object');
  const via = attribute('ce_actorvia');
  const [viaType, ...viaId] = via ? via.split(':') : [];
  return {
    eventId: attribute('ce_id')!,
    type,
    streamId: attribute('ce_streamid')!,
    revision,
    occurredAt: attribute('ce_time')!,
    recordedAt: attribute('ce_recordedat') ?? attribute('ce_time')!,
    actor: { type: attribute('ce_actortype')!, id: attribute('ce_actorid')!, ...(via ? { via: { type: viaType, id: viaId.join(':') } } : {}) },
    correlationId: attribute('ce_correlationid'),
    causationId: attribute('ce_causationid'),
    // An older version is upcast to the current one here, so every projector reads one shape.
    data: upcastEventData(type, version, data) as Record<string, unknown>,
  };
}
