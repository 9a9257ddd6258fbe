/**
 * One reader of the store's feed for several projections: each page is read once, turned into projected events
 * once (as StoreFeedProjector does: a version this release does not know becomes a poison item), and handed to every runner (each skips what is at or before its own checkpoint), the runners applying it
 * side by side while the next page is already being read. Each runner still commits its view, revisions and
 * checkpoint in its own transaction, so a runner that fails leaves the others' progress intact and resumes from
 * its own checkpoint. Where positions are not plain numbers (EventStoreDB), each runner reads on its own.
 */
import type { EventStore, StoredEvent } from '@aftersales/event-store';
import { drainFeed } from './drain-feed';
import type { ProjectionRunner, SourceItem } from './projection-runner';
import { FEED_SOURCE, feedItem } from './store-feed-projector';

const NUMERIC = /^\d+$/;

/** Brings every runner up to the feed's end; answers how many events were read. */
export async function catchUpTogether(store: EventStore, runners: ProjectionRunner[], batchSize: number): Promise<number> {
  const checkpoints = await Promise.all(runners.map(async (r) => (await r.checkpoints()).get(FEED_SOURCE)));
  if (checkpoints.some((c) => c !== undefined && !NUMERIC.test(c))) return alone(store, runners, batchSize);
  const done = checkpoints.map((c) => (c === undefined ? -1n : BigInt(c)));
  const lowest = done.reduce((a, b) => (b < a ? b : a), done[0] ?? -1n);
  let after = lowest < 0n ? undefined : String(lowest);
  const read = (from: string | undefined) => {
    const page = store.readAll({ after: from, maxCount: batchSize });
    page.catch(() => undefined); // awaited below; a failure is not left unhandled meanwhile
    return page;
  };
  let total = 0;
  let next = read(after);
  for (;;) {
    const page = await next;
    if (page.length === 0) return total;
    if (page.some((e) => !NUMERIC.test(e.position))) return total + (await alone(store, runners, batchSize));
    after = page[page.length - 1].position;
    next = read(after);
    const items = toItems(page);
    const last = BigInt(after);
    await Promise.all(
      runners.map(async (runner, i) => {
        const fresh = done[i] < 0n ? items : items.filter((item) => item.at > done[i]);
        if (fresh.length > 0) await runner.process(FEED_SOURCE, fresh);
        done[i] = last;
      }),
    );
    total += page.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function toItems(page: StoredEvent[]): Array<SourceItem & { at: bigint }> {
  return page.map((e) => ({ ...feedItem(e), at: BigInt(e.position) }));
}

async function alone(store: EventStore, runners: ProjectionRunner[], batchSize: number): Promise<number> {
  let read = 0;
  for (const runner of runners) {
    read = await drainFeed(
      store,
      async () => (await runner.checkpoints()).get(FEED_SOURCE),
      batchSize,
      async (page) => {
        await runner.process(FEED_SOURCE, page.map(feedItem));
      },
    );
  }
  return read;
}
