/**
 * The same event store with a span around every append and, inside a traced piece of work, every read. Each
 * appended event keeps the trace context of its append in `metadata.traceparent` (and `tracestate`), so the
 * relay's publish and the projectors' apply continue the trace of the request that produced the event.
 */
import { SpanKind } from '@opentelemetry/api';
import { CORRELATION_ATTRIBUTE, inSpan, insideSpan, traceCarrier } from '@aftersales/observability';
import type { EventStore, EventToAppend } from './event-store.port';

export function traceEventStore(store: EventStore): EventStore {
  const system = { 'db.system.name': store.kind };
  const read = <T>(name: string, attributes: Record<string, string | number>, work: () => Promise<T>): Promise<T> =>
    insideSpan() ? inSpan(name, { kind: SpanKind.CLIENT, attributes: { ...system, ...attributes } }, work) : work();
  return {
    kind: store.kind,
    append: (streamId, events, expectedRevision) =>
      inSpan(
        'event-store append',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            ...system,
            'aftersales.stream_id': streamId,
            'aftersales.event_count': events.length,
            'aftersales.event_types': events.map((e) => e.type).join(','),
            ...(events[0]?.metadata.correlationId ? { [CORRELATION_ATTRIBUTE]: events[0].metadata.correlationId } : {}),
          },
        },
        async (span) => {
          const result = await store.append(streamId, withTraceContext(events), expectedRevision);
          span.setAttribute('aftersales.revision', result.revision);
          return result;
        },
      ),
    readStream: (streamId, options) => read('event-store read stream', { 'aftersales.stream_id': streamId }, () => store.readStream(streamId, options)),
    readAll: (options) => read('event-store read feed', { 'aftersales.max_count': options.maxCount }, () => store.readAll(options)),
    headPosition: () => store.headPosition(),
    readAnchors: (options) => store.readAnchors(options),
    streamAnchors: (streamId) => read('event-store read anchors', { 'aftersales.stream_id': streamId }, () => store.streamAnchors(streamId)),
    anchorHead: () => store.anchorHead(),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

/** The events with the active trace context in their metadata (an event that already has one keeps it). */
function withTraceContext(events: EventToAppend[]): EventToAppend[] {
  const carrier = traceCarrier();
  if (!carrier.traceparent) return events;
  return events.map((event) => (event.metadata.traceparent ? event : { ...event, metadata: { ...event.metadata, ...carrier } }));
}
