/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: the event's data is the message value (JSON), its
 * attributes are `ce_` headers, the key is the case (or order) id. Extension attributes carry the rest of the
 * event's metadata so a consumer rebuilds exactly what the store holds.
 */
import type { StoredEvent } from '@aftersales/event-store';
import type { ProjectedEvent } from '@aftersales/read-models';

export const CE_SOURCE = '/aftersales/cases';

type Headers = Record<string, string>;

export function streamKey(streamId: string): string {
  return streamId.slice(streamId.indexOf('-') + 1);
}

export function toKafkaMessage(event: StoredEvent): { key: string; value: string; headers: Headers } {
  const actor = event.metadata.actor;
  const headers: Headers = {
    ce_specversion: '1.0',
    ce_id: event.eventId,
    ce_source: CE_SOURCE,
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
  return { key: streamKey(event.streamId), value: JSON.stringify(event.data), headers };
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined || value === null) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/** Decodes a message; throws with the reason when it is not one of ours (the caller dead-letters it). */
export function fromKafkaMessage(message: { value: Buffer | null; headers?: Record<string, unknown> }): ProjectedEvent {
  const h = message.headers;
  if (header(h, 'ce_specversion') !== '1.0') throw new Error('not a CloudEvents 1.0 message (ce_specversion)');
  const required = ['ce_id', 'ce_eventtype', 'ce_streamid', 'ce_revision', 'ce_time', 'ce_actortype', 'ce_actorid'];
  const missing = required.filter((name) => !header(h, name));
  if (missing.length) throw new Error(`missing CloudEvents attributes: ${missing.join(', ')}`);
  const revision = Number(header(h, 'ce_revision'));
  if (!Number.isInteger(revision) || revision < 0) throw new Error('ce_revision is not a revision number');
  if (!message.value) throw new Error('message has no data');
  let data: unknown;
  try {
    data = JSON.parse(message.value.toString('utf8'));
  } catch {
    throw new Error('message data is not JSON');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('message data is not a JSON object');
  const via = header(h, 'ce_actorvia');
  const [viaType, ...viaId] = via ? via.split(':') : [];
  return {
    eventId: header(h, 'ce_id')!,
    type: header(h, 'ce_eventtype')!,
    streamId: header(h, 'ce_streamid')!,
    revision,
    occurredAt: header(h, 'ce_time')!,
    recordedAt: header(h, 'ce_recordedat') ?? header(h, 'ce_time')!,
    actor: { type: header(h, 'ce_actortype')!, id: header(h, 'ce_actorid')!, ...(via ? { via: { type: viaType, id: viaId.join(':') } } : {}) },
    correlationId: header(h, 'ce_correlationid'),
    causationId: header(h, 'ce_causationid'),
    data: data as Record<string, unknown>,
  };
}
