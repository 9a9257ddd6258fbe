/**
 * The embedded default's transport: a projector reads the event store's global feed directly, from its
 * checkpoint, in batches. Same runner, same reducers as behind Kafka.
 */
import type { EventStore } from '@aftersales/event-store';
import { fromStoredEvent } from '../projected-event';
import { drainFeed } from './drain-feed';
import { PollingLoop } from './polling-loop';
import type { ProjectionRunner } from './projection-runner';

export const FEED_SOURCE = 'feed';

export class StoreFeedProjector {
  private readonly loop: PollingLoop;

  constructor(
    private readonly store: EventStore,
    readonly runner: ProjectionRunner,
    private readonly options: { batchSize?: number; idleMs?: number; onError?: (error: Error) => void } = {},
  ) {
    this.loop = new PollingLoop(() => this.catchUp(), options.idleMs ?? 200, options.onError);
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

  start(): void {
    this.loop.start();
  }

  /** Ask for an immediate pass (e.g. right after an append). */
  nudge(): void {
    this.loop.nudge();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
