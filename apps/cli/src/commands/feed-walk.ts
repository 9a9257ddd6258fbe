/** Walking the whole global feed from the start, for commands that read everything. */
import type { EventStore, StoredEvent } from '@aftersales/event-store';
import { drainFeed } from '@aftersales/read-models';

export { GENESIS_HASH, chainHash, chainPayload } from '@aftersales/event-store';

export async function drainFeedless(store: EventStore, handle: (page: StoredEvent[]) => Promise<void>): Promise<number> {
  let after: string | undefined;
  return drainFeed(
    store,
    async () => after,
    1000,
    async (page) => {
      await handle(page);
      after = page[page.length - 1].position;
    },
  );
}
