/**
 * One reader of the store's feed for several projections: each page is read once, turned into projected events
 * once (as StoreFeedProjector does: a version this release does not know becomes a poison item), and handed to
 * every runner (each skips what is at or before its own checkpoint). The runners apply side by side and need not
 * wait for each other page by page: each applies its pages in order, at most one page ahead of the slowest, while
 * the next page is already being read, so at most three pages are held at a time (memory bounded by the page
 * size, not by the feed). Each runner still commits its view, revisions and checkpoint in its own transaction, so a
 * runner that fails leaves the others' progress intact and resumes from its own checkpoint. Where positions are
 * not plain numbers (EventStoreDB), each runner reads on its own.
 */
import type { EventStore, StoredEvent } from '@aftersales/event-store';
import { drainFeed } from './drain-feed';
import type { ProjectionRunner, SourceItem } from './projection-runner';
import { FEED_SOURCE, feedItem } from './store-feed-projector';

const NUMERIC = /^\d+$/;

/** One page as every runner gets it: the items, and each item's feed position as a number (the stored events are not kept). */
interface SharedPage {
  size: number;
  /** The page's last position; undefined for an empty page. */
  last?: string;
  /** Whether every position is a plain number (else the runners read on their own). */
  numeric: boolean;
  items: SourceItem[];
  at: bigint[];
}

/** Brings every runner up to the feed's end; answers how many events were read. */
export async function catchUpTogether(store: EventStore, runners: ProjectionRunner[], batchSize: number): Promise<number> {
  const checkpoints = await Promise.all(runners.map(async (r) => (await r.checkpoints()).get(FEED_SOURCE)));
  if (checkpoints.some((c) => c !== undefined && !NUMERIC.test(c))) return alone(store, runners, batchSize);
  const done = checkpoints.map((c) => (c === undefined ? -1n : BigInt(c)));
  const lowest = done.reduce((a, b) => (b < a ? b : a), done[0] ?? -1n);
  const read = (from: string | undefined) => {
    const page = store.readAll({ after: from, maxCount: batchSize }).then(toShared);
    page.catch(() => undefined); // awaited below; a failure is not left unhandled meanwhile
    return page;
  };
  // Each runner's pages, chained in order; `previous` is every runner's work on the page before this one.
  const chains: Array<Promise<void>> = runners.map(() => Promise.resolve());
  let previous: Array<Promise<void>> = [];
  let total = 0;
  let next = read(lowest < 0n ? undefined : String(lowest));
  try {
    for (;;) {
      const page = await next;
      if (page.size === 0) break;
      if (!page.numeric) {
        await Promise.all(previous);
        return total + (await alone(store, runners, batchSize));
      }
      next = read(page.last);
      const current = runners.map((runner, i) => (chains[i] = chains[i].then(() => applyPage(runner, page, done, i))));
      for (const work of current) work.catch(() => undefined); // awaited with the next page, or at the end
      await Promise.all(previous);
      previous = current;
      total += page.size;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(previous);
    return total;
  } finally {
    await Promise.allSettled(chains); // a failure leaves no runner's transaction still running behind it
  }
}

function toShared(page: StoredEvent[]): SharedPage {
  const numeric = page.every((e) => NUMERIC.test(e.position));
  const last = page.length > 0 ? page[page.length - 1].position : undefined;
  if (!numeric) return { size: page.length, last, numeric, items: [], at: [] };
  return { size: page.length, last, numeric, items: page.map(feedItem), at: page.map((e) => BigInt(e.position)) };
}

/** The page's items after the runner's checkpoint `done[i]`, applied in one call; then the checkpoint is the page's end. */
async function applyPage(runner: ProjectionRunner, page: SharedPage, done: bigint[], i: number): Promise<void> {
  const after = done[i];
  const fresh = after < 0n ? page.items : page.items.filter((_, k) => page.at[k] > after);
  if (fresh.length > 0) await runner.process(FEED_SOURCE, fresh);
  done[i] = page.at[page.at.length - 1];
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
