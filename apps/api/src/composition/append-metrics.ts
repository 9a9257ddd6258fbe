/** Counts every append this process makes (commands, order facts, the SLA watch) into the Prometheus metrics. */
import { observeAppends } from '@aftersales/event-store';
import type { Metrics } from '@aftersales/observability';
import type { Storage } from '@aftersales/storage';

export function withAppendMetrics(storage: Storage, metrics: Metrics): Storage {
  const eventStore = observeAppends(storage.eventStore, (streamId, events) => {
    const category = streamId.split('-', 1)[0];
    for (const event of events) {
      metrics.appendedEvents.inc({ category, type: event.type });
      if (event.type === 'SlaBreached') metrics.slaBreaches.inc({ clock: String((event.data as { clock?: unknown }).clock) });
    }
  });
  return { ...storage, eventStore };
}
