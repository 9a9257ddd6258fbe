/**
 * The embedded default's transport: a projector reads the event store's global feed directly, from its
 * checkpoint, in batches. Same runner, same reducers as behind Kafka. Its loop status and its lag behind the
 * store's head are what readiness reports for it.
 */
import type { EventStore } from '@aftersales/event-store';
import { fromStoredEvent } from '../projected-event';
import { drainFeed } from './drain-feed';
import { PolledWork } from './polling-loop';
import type { ProjectionRunner } from './projection-runner';

export const FEED_SOURCE = 'feed';

export class StoreFeedProjector extends PolledWork {

  constructor(
    private readonly store: EventStore,
    readonly runner: ProjectionRunner,
    private readonly options: { batchSize?: number; idleMs?: number; onError?: (error: Error) => void } = {},
  ) {
    super(options.idleMs ?? 200, options.onError);
  }

  /** Processes the feed until it is exhausted; returns how many events were read. */
  async catchUp(): Promise<number> {
    return drainFeed(
      this.store,
      async () => (await this.runner.checkpoints()).get(FEED_SOURCE),
      this.options.batchSize ?? 500,
      async (page) => {
        await this.runner.process(
          FEED_SOURCE,
          page.map((e) => ({ position: e.position, event: fromStoredEvent(e) })),
        );
      },
    );
  }

  /** Events in the store after this projector's checkpoint; undefined where positions are not plain numbers. */
  async lag(): Promise<number | undefined> {
    const [head, done] = await Promise.all([this.store.headPosition(), this.runner.checkpoints().then((c) => c.get(FEED_SOURCE))]);
    if (!head || !/^\d+$/.test(head)) return undefined;
    if (done !== undefined && !/^\d+$/.test(done)) return undefined;
    return Number(BigInt(head) - BigInt(done ?? '0'));
  }

  protected pass(): Promise<number> {
    return this.catchUp();
  }
}
