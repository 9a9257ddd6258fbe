/**
 * The embedded default's transport: a projector reads the event store's global feed directly, from its
 * checkpoint, in batches. Same runner, same reducers as behind Kafka.
 */
import type { EventStore } from '@aftersales/event-store';
import { fromStoredEvent } from '../projected-event';
import type { ProjectionRunner } from './projection-runner';

export const FEED_SOURCE = 'feed';

export class StoreFeedProjector {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly store: EventStore,
    readonly runner: ProjectionRunner,
    private readonly options: { batchSize?: number; idleMs?: number; onError?: (error: Error) => void } = {},
  ) {}

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
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const read = await this.catchUp();
          if (read > 0) continue;
        } catch (error) {
          this.options.onError?.(error as Error);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.idleMs ?? 200);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
  }

  /** Ask for an immediate pass (e.g. right after an append). */
  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
