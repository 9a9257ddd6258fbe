/**
 * What a projector consumes, whatever carried it: the store's own feed (embedded default) or a Kafka topic.
 * Its data is always in the event type's current schema version: older versions are upcast when it is made.
 */
import { upcastEventData } from '@aftersales/case-domain';
import type { StoredEvent } from '@aftersales/event-store';

export interface ProjectedEvent {
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  occurredAt: string;
  recordedAt: string;
  actor: { type: string; id: string; via?: { type: string; id: string } };
  correlationId?: string;
  causationId?: string;
  data: Record<string, unknown>;
}

export const CASE_STREAM_PREFIX = 'case-';
export const ORDER_STREAM_PREFIX = 'order-';

/** The stored event for a projector, its data upcast; throws `UnknownEventVersionError` for a version from a later release. */
export function fromStoredEvent(e: StoredEvent): ProjectedEvent {
  return {
    eventId: e.eventId,
    type: e.type,
    streamId: e.streamId,
    revision: e.revision,
    occurredAt: e.metadata.occurredAt,
    recordedAt: e.recordedAt,
    actor: e.metadata.actor,
    correlationId: e.metadata.correlationId,
    causationId: e.metadata.causationId,
    data: upcastEventData(e.type, e.schemaVersion ?? 1, e.data) as Record<string, unknown>,
  };
}

export function isCaseStream(streamId: string): boolean {
  return streamId.startsWith(CASE_STREAM_PREFIX);
}

export function isOrderStream(streamId: string): boolean {
  return streamId.startsWith(ORDER_STREAM_PREFIX);
}

export function caseIdOf(streamId: string): string {
  return streamId.slice(CASE_STREAM_PREFIX.length);
}
