/**
 * The embedded default's transport: a projector reads the event store's global feed directly, from its
 * checkpoint, in batches. Same runner, same reducers as behind Kafka. Its loop status and its lag behind the
 * store's head are what readiness reports for it.
 */
import { UnknownEventVersionError } from '@aftersales/case-domain';
import type { EventStore, StoredEvent } from '@aftersales/event-store';
import { fromStoredEvent } from '../projected-event';
import type { SourceItem } from './projection-runner';
import { drainFeed } from './drain-feed';
import { PolledWork } from './polling-loop';
import type { ProjectionRunner } from './projection-runner';

export const FEED_SOURCE = 'feed';

export class StoreFeedProjector extends PolledWork {
  constructor(
    private readonly store: EventStore,
    readonly runner: ProjectionRunner,
    private readonly options: { batchSize?: number; idleMs?: number; busyMs?: number; onError?: (error: Error) => void } = {},
  ) {
    super(options.idleMs ?? 200, options.onError, options.busyMs ?? 0);
  }

  /** Processes the feed until it is exhausted; returns how many events were read. */
  async catchUp(): Promise<number> {
    return this.drain(false);
  }

  /**
   * `stopAtShortPage`: a pass of the background loop ends at a page shorter than the batch (the feed's end as it
   * was read) instead of asking once more for an empty one; the loop comes back for what arrived since.
   */
  private drain(stopAtShortPage: boolean): Promise<number> {
    return drainFeed(
      this.store,
      async () => (await this.runner.checkpoints()).get(FEED_SOURCE),
      this.options.batchSize ?? 500,
      async (page) => {
        await this.runner.process(
          FEED_SOURCE,
          page.map((e) => feedItem(e)),
        );
      },
      { stopAtShortPage },
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
    return this.drain(true);
  }
}

/** One feed event for the runner; a version newer than this release knows is dead-lettered (`unknown_version`), as on Kafka. */
export function feedItem(e: StoredEvent): SourceItem {
  try {
    return { position: e.position, event: fromStoredEvent(e) };
  } catch (error) {
    if (!(error instanceof UnknownEventVersionError)) throw error;
    return { position: e.position, poison: { reason: 'unknown_version', error: error.message, payload: JSON.stringify(e) } };
  }
}
