/**
 * The embedded default's projectors as one background worker: one loop reads each page of the store's feed once,
 * for every projection, and applies it to all of them in one transaction (applyJointly). Each projection's
 * checkpoint is kept in memory by this worker and moved only from where it last saw it (compare and set), so a
 * pass costs no checkpoint reads, and a checkpoint moved by someone else (a rebuild's swap, another process on
 * the same PostgreSQL) rolls the pass back and has the checkpoints read again. When the joint transaction fails
 * (a poison event, one view's table broken), the page goes to each runner's own transaction, so the poison event
 * is dead-lettered and a broken view fails alone; its status, and the loop's, are what readiness reports.
 */
import type { EventStore } from '@aftersales/event-store';
import type { SqlClient } from '@aftersales/sql-client';
import { applyJointly } from './joint-apply';
import type { JointBatch } from './joint-apply';
import type { LoopStatus } from './polling-loop';
import { PolledWork } from './polling-loop';
import { CheckpointMovedError, checkpointsOfMany } from './projection-bookkeeping';
import type { CheckpointGuard, ProjectionRunner, SourceItem } from './projection-runner';
import { FEED_SOURCE, feedItem } from './store-feed-projector';

const NUMERIC = /^\d+$/;

interface Member {
  runner: ProjectionRunner;
  guard: CheckpointGuard;
  failures: number;
  lastError?: string;
  lastErrorAt?: string;
}

/** Projections read together from one place in the feed. */
interface ReadGroup {
  after: string | undefined;
  members: Member[];
}

/** A pass over one page per group: what was read, whether a page was full. */
interface PageOutcome {
  read: number;
  full: boolean;
}

/** A projection failed the pass; each failure is already reported with its projection's name. */
class ProjectionFailedError extends Error {
  constructor(readonly first: Error) {
    super(first.message);
    this.name = 'ProjectionFailedError';
  }
}

export interface SharedFeedOptions {
  batchSize?: number;
  idleMs?: number;
  busyMs?: number;
  /** A failed pass; `projection` names the one that failed (absent: the feed or the checkpoints could not be read). */
  onError?: (error: Error, projection?: string) => void;
}

export class SharedFeedProjectors extends PolledWork {
  private readonly members: Member[];
  private stale = true;
  private serial: Promise<unknown> = Promise.resolve();
  /** Passes in a row that could not read the feed or the checkpoints (every projection stands still). */
  private feed: { failures: number; lastError?: string; lastErrorAt?: string } = { failures: 0 };
  private lastPassAt?: string;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    runners: ProjectionRunner[],
    private readonly options: SharedFeedOptions = {},
  ) {
    super(options.idleMs ?? 200, (error) => (error instanceof ProjectionFailedError ? undefined : options.onError?.(error)), options.busyMs ?? 0);
    this.members = runners.map((runner) => ({ runner, guard: { expected: undefined }, failures: 0 }));
  }

  get runners(): ProjectionRunner[] {
    return this.members.map((m) => m.runner);
  }

  /** Processes the feed until it is exhausted; returns how many events were read. Throws a projection's failure. */
  async catchUp(): Promise<number> {
    try {
      return await this.inTurn(() => this.drain(false));
    } catch (error) {
      throw error instanceof ProjectionFailedError ? error.first : error;
    }
  }

  protected async pass(): Promise<number> {
    try {
      const read = await this.inTurn(() => this.drain(true));
      this.feed = { failures: 0 };
      return read;
    } catch (error) {
      if (error instanceof ProjectionFailedError) this.feed = { failures: 0 };
      else this.feed = { failures: this.feed.failures + 1, lastError: (error as Error).message.slice(0, 500), lastErrorAt: new Date().toISOString() };
      throw error;
    }
  }

  /** One drain at a time (the loop's passes and catchUp share the checkpoints in memory). */
  private inTurn(work: () => Promise<number>): Promise<number> {
    const turn = this.serial.then(work, work);
    this.serial = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Pages until the feed's end (`stopAtShortPage`: until no page is full), yielding between pages. A projection
   * that fails is left out for the rest of the drain, the others go on; the drain then throws its failure.
   */
  private async drain(stopAtShortPage: boolean): Promise<number> {
    const failed = new Map<Member, Error>();
    let total = 0;
    for (;;) {
      if (this.stale) await this.reload();
      const outcome = await this.nextPages(failed);
      this.lastPassAt = new Date().toISOString();
      total += outcome.read;
      if (outcome.read === 0 || (stopAtShortPage && !outcome.full)) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [first] = failed.values();
    if (first) throw new ProjectionFailedError(first);
    return total;
  }

  private async reload(): Promise<void> {
    const stored = await checkpointsOfMany(
      this.sql,
      this.members.map((m) => m.runner.key),
      FEED_SOURCE,
    );
    for (const m of this.members) m.guard.expected = stored.get(m.runner.key);
    this.stale = false;
  }

  /** One page for each group of projections read together, but for those that failed in this drain (`failed`, added to). */
  private async nextPages(failed: Map<Member, Error>): Promise<PageOutcome> {
    const batchSize = this.options.batchSize ?? 500;
    const outcome: PageOutcome = { read: 0, full: false };
    for (const group of this.readGroups(failed)) {
      const page = await this.store.readAll({ after: group.after, maxCount: batchSize });
      if (page.length === 0) continue;
      const items = page.map(feedItem);
      const batches = group.members
        .map((m) => ({ runner: m.runner, guard: m.guard, items: itemsAfter(items, m.guard.expected, group.after) }))
        .filter((b) => b.items.length > 0);
      await this.apply(
        batches,
        group.members.every((m) => m.failures === 0),
        failed,
      );
      outcome.read += page.length;
      outcome.full ||= page.length === batchSize;
    }
    return outcome;
  }

  /**
   * The healthy projections read together from the lowest of their checkpoints where positions are numbers (each
   * skips what it has), or in groups at exactly the same place where they are not; a failing one reads alone, so
   * it holds no one back.
   */
  private readGroups(failed: Map<Member, Error>): ReadGroup[] {
    const healthy = this.members.filter((m) => m.failures === 0);
    const failing = this.members.filter((m) => m.failures > 0 && !failed.has(m));
    const parts = [healthy, ...failing.map((m) => [m])].filter((part) => part.length > 0);
    return parts.flatMap((part) => {
      const at = part.map((m) => m.guard.expected);
      if (at.every((p) => p === undefined || NUMERIC.test(p))) {
        const after = at.includes(undefined) ? undefined : at.reduce((a, b) => (BigInt(b!) < BigInt(a!) ? b : a));
        return [{ after, members: part }];
      }
      return [...new Set(at)].map((after) => ({ after, members: part.filter((m) => m.guard.expected === after) }));
    });
  }

  /** Jointly when every projection of the group is healthy; each runner alone otherwise, or after a joint failure. */
  private async apply(batches: JointBatch[], healthy: boolean, failed: Map<Member, Error>): Promise<void> {
    if (batches.length === 0) return;
    if (healthy && batches.every((b) => b.items.every((i) => i.event))) {
      try {
        await applyJointly(this.sql, FEED_SOURCE, batches);
        return;
      } catch (error) {
        if (error instanceof CheckpointMovedError) {
          this.stale = true;
          return;
        }
        // fall through: each runner on its own, so a poison event is dead-lettered and a failure named
      }
    }
    for (const { runner, items, guard } of batches) {
      const m = this.members.find((x) => x.runner === runner)!;
      try {
        await runner.process(FEED_SOURCE, items, guard);
        m.failures = 0;
      } catch (error) {
        if (error instanceof CheckpointMovedError) this.stale = true;
        else this.failed(m, error as Error, failed);
      }
    }
  }

  private failed(m: Member, error: Error, failed: Map<Member, Error>): void {
    m.failures += 1;
    m.lastError = error.message.slice(0, 500);
    m.lastErrorAt = new Date().toISOString();
    failed.set(m, error);
    this.options.onError?.(error, m.runner.projection.name);
  }

  /** One projection's status: stopped with the loop; failing while the feed cannot be read or its own passes fail. */
  statusOf(runner: ProjectionRunner): LoopStatus {
    const loop = this.loopStatus();
    if (!loop.running) return loop;
    const m = this.members.find((x) => x.runner === runner);
    const failing = this.feed.failures > 0 ? this.feed : m && m.failures > 0 ? m : undefined;
    const passed = this.lastPassAt ? { lastPassAt: this.lastPassAt } : {};
    if (!failing) return { running: true, failures: 0, ...passed };
    return { running: true, failures: failing.failures, lastError: failing.lastError, lastErrorAt: failing.lastErrorAt, ...passed };
  }

  /** Events in the store after each projection's stored checkpoint; undefined where positions are not plain numbers. */
  async lags(): Promise<Map<ProjectionRunner, number | undefined>> {
    const keys = this.members.map((m) => m.runner.key);
    const [head, done] = await Promise.all([this.store.headPosition(), checkpointsOfMany(this.sql, keys, FEED_SOURCE)]);
    return new Map(
      this.members.map((m) => {
        const at = done.get(m.runner.key);
        const numeric = head !== undefined && NUMERIC.test(head) && (at === undefined || NUMERIC.test(at));
        return [m.runner, numeric ? Number(BigInt(head) - BigInt(at ?? '0')) : undefined];
      }),
    );
  }
}

/** The items after a projection's checkpoint: all of them when it is where the page was read from. */
function itemsAfter(items: SourceItem[], checkpoint: string | undefined, readFrom: string | undefined): SourceItem[] {
  if (checkpoint === readFrom || checkpoint === undefined) return items;
  const done = BigInt(checkpoint);
  return items.filter((i) => BigInt(i.position) > done);
}
