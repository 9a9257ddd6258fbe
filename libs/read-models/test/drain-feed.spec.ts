/** drainFeed: pages from a checkpoint until the feed is exhausted, or (stopAtShortPage) until a short page. */
import type { EventStore, StoredEvent } from '@aftersales/event-store';
import { drainFeed } from '../src';

const feedOf = (count: number) => {
  const events = Array.from({ length: count }, (_, i) => ({ position: String(i + 1) }) as StoredEvent);
  const reads: Array<string | undefined> = [];
  const store = {
    readAll: async ({ after, maxCount }: { after?: string; maxCount: number }) => {
      reads.push(after);
      return events.filter((e) => Number(e.position) > Number(after ?? 0)).slice(0, maxCount);
    },
  } as unknown as EventStore;
  return { store, reads };
};

describe('drainFeed', () => {
  const drain = async (count: number, stopAtShortPage: boolean) => {
    const { store, reads } = feedOf(count);
    let checkpoint: string | undefined;
    const read = await drainFeed(
      store,
      async () => checkpoint,
      3,
      async (page) => void (checkpoint = page[page.length - 1].position),
      { stopAtShortPage },
    );
    return { read, reads };
  };

  it('given 7 events and pages of 3, when drained, then it reads until an empty page', async () => {
    expect(await drain(7, false)).toEqual({ read: 7, reads: [undefined, '3', '6', '7'] });
  });

  it('given 7 events and pages of 3, when drained with stopAtShortPage, then it stops after the short page', async () => {
    expect(await drain(7, true)).toEqual({ read: 7, reads: [undefined, '3', '6'] });
  });

  it('given 6 events and pages of 3, when drained with stopAtShortPage, then a full last page is followed by an empty read', async () => {
    expect(await drain(6, true)).toEqual({ read: 6, reads: [undefined, '3', '6'] });
  });
});
