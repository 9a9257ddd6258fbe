/**
 * The embedded default's transport: a projector reads the event store's global feed directly, from its
 * checkpoint, in batches. Same runner, same reducers as behind Kafka.
 */
import type { EventStore } from '@aftersales/event-store';
import { fromStoredEvent } from '../projected-event';
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
    const batchSize = this.options.batchSize ?? 500;
    let total = 0;
    for (;;) {
      const after = (await this.runner.checkpoints()).get(FEED_SOURCE);
      const page = await this.store.readAll({ after, maxCount: batchSize });
      if (page.length === 0) return total;
      await this.runner.process(
        FEED_SOURCE,
        page.map((e) => ({ position: e.position, event: fromStoredEvent(e) })),
      );
      total += page.length;
      // PGlite answers without touching the event loop: yield between pages so HTTP requests and timers run.
      await new Promise((resolve) => setImmediate(resolve));
    }
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
