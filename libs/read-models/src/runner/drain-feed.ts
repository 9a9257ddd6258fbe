/** Reads the store's global feed page by page from a checkpoint until it is exhausted. */
import type { EventStore, StoredEvent } from '@aftersales/event-store';

/**
 * `checkpoint()` is asked before each page, so `handle` moves it. Returns how many events were read. Yields to the
 * event loop between pages: PGlite answers without touching it, and HTTP requests and timers must still run.
 */
export async function drainFeed(
  store: EventStore,
  checkpoint: () => Promise<string | undefined>,
  batchSize: number,
  handle: (page: StoredEvent[]) => Promise<void>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const page = await store.readAll({ after: await checkpoint(), maxCount: batchSize });
    if (page.length === 0) return total;
    await handle(page);
    total += page.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
