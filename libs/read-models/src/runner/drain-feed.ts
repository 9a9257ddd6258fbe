/** Reads the store's global feed page by page from a checkpoint until it is exhausted. */
import type { EventStore, StoredEvent } from '@aftersales/event-store';

/**
 * `checkpoint()` is asked before each page, so `handle` moves it. Returns how many events were read. Yields to the
 * event loop between pages: PGlite answers without touching it, and HTTP requests and timers must still run.
 * `stopAtShortPage`: stop after a page shorter than `batchSize` rather than reading until a page is empty (for a
 * caller that comes back anyway; a store may answer a short page before its end).
 */
export async function drainFeed(
  store: EventStore,
  checkpoint: () => Promise<string | undefined>,
  batchSize: number,
  handle: (page: StoredEvent[]) => Promise<void>,
  options: { stopAtShortPage?: boolean } = {},
): Promise<number> {
  let total = 0;
  for (;;) {
    const page = await store.readAll({ after: await checkpoint(), maxCount: batchSize });
    if (page.length === 0) return total;
    await handle(page);
    total += page.length;
    if (options.stopAtShortPage && page.length < batchSize) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Walks the whole global feed from its start, a page at a time, for work that reads everything once. */
export async function walkWholeFeed(store: EventStore, handle: (page: StoredEvent[]) => Promise<void> | void, pageSize = 1000): Promise<number> {
  let after: string | undefined;
  return drainFeed(
    store,
    async () => after,
    pageSize,
    async (page) => {
      await handle(page);
      after = page[page.length - 1].position;
    },
  );
}
