/**
 * The same event store, telling a listener about every append that succeeded (the API counts appends by
 * event type for Prometheus this way). A listener that throws does not fail the append: it already happened.
 */
import type { EventStore, EventToAppend } from './event-store.port';

export type AppendListener = (streamId: string, events: EventToAppend[]) => void;

export function observeAppends(store: EventStore, listener: AppendListener): EventStore {
  return {
    kind: store.kind,
    append: async (streamId, events, expectedRevision) => {
      const result = await store.append(streamId, events, expectedRevision);
      try {
        listener(streamId, events);
      } catch {
        // a broken listener must not turn a stored append into an error
      }
      return result;
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    headPosition: () => store.headPosition(),
    readAnchors: (options) => store.readAnchors(options),
    streamAnchors: (streamId) => store.streamAnchors(streamId),
    anchorHead: () => store.anchorHead(),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
