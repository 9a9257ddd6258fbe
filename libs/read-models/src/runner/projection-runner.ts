/**
 * Applies batches of events to one projection. The view change, the per-stream revisions and the source's
 * checkpoint are written in one transaction, so a crash leaves either all or none of a batch. An event whose
 * revision is not newer than the one already applied for its stream is skipped (at-least-once delivery, a
 * relay that republished after a crash). If a batch fails on a poison event, its events are retried one by one
 * and the event that fails alone is dead-lettered with its error (reason `apply_failed`; a record the transport
 * could not decode carries its own reason); the projector goes on. Any other failure (the
 * database is unreachable) propagates: nothing is dead-lettered and the source retries the batch.
 */
import type { SqlClient } from '@aftersales/sql-client';
import type { Projection } from '../projection';
import { shapeVersionOf } from '../projection';
import type { ProjectedEvent } from '../projected-event';
import { PoisonEventError } from '../poison-event';
import type { DeadLetterReason } from './dead-letter-reasons';
import { storableText } from './dead-letter-reasons';
import { advanceCheckpoints, ensureBookkeeping, readCheckpoints, streamRevisions, writeCheckpoint, writeStreamRevisions } from './projection-bookkeeping';

/** The record as the transport delivered it (Kafka: key, value and headers), kept so a dead letter holds its exact bytes. */
export interface RawRecord {
  key?: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>;
}

/** One delivered record: a decoded event, or a poison record that could not be decoded. */
export interface SourceItem {
  position: string;
  event?: ProjectedEvent;
  /** Why the record could not be decoded; `reason` defaults to `undecodable`. */
  poison?: { error: string; reason?: DeadLetterReason; payload?: string | Buffer };
  raw?: RawRecord;
}

export interface DeadLetter {
  projection: string;
  source: string;
  position: string;
  eventId?: string;
  error: string;
  reason: DeadLetterReason;
  /** The record's original bytes (its value), never re-encoded as text. */
  payload?: Buffer;
  raw?: RawRecord;
}

export interface DeadLetterSink {
  send(letter: DeadLetter): Promise<void>;
}

export interface BatchOutcome {
  applied: number;
  skipped: number;
  deadLettered: number;
}

export class ProjectionRunner {
  constructor(
    private readonly sql: SqlClient,
    readonly projection: Projection,
    private readonly deadLetters: DeadLetterSink,
    /** '' for the live tables; '_rebuild' while a rebuild fills fresh tables. */
    readonly suffix = '',
    /** Told after each committed transaction which events it made visible (metrics, lag measurement). */
    private readonly onCommitted?: (events: ProjectedEvent[]) => void,
  ) {}

  /** Bookkeeping key: the projection's name plus the suffix of the tables it writes. */
  get key(): string {
    return `${this.projection.name}${this.suffix}`;
  }

  async init(): Promise<void> {
    await ensureBookkeeping(this.sql);
    await this.sql.applySchema(this.projection.schema(this.suffix));
  }

  async checkpoints(): Promise<Map<string, string>> {
    return readCheckpoints(this.sql, this.key);
  }

  /**
   * Applies `items` (in feed order). `guard` (the shared feed projectors): the checkpoint is moved only from where
   * the caller last saw it, `guard.expected`, which follows each commit; CheckpointMovedError when it was elsewhere.
   */
  async process(source: string, items: SourceItem[], guard?: CheckpointGuard): Promise<BatchOutcome> {
    if (items.length === 0) return { applied: 0, skipped: 0, deadLettered: 0 };
    if (items.every((i) => i.event)) {
      try {
        return { ...(await this.applyInOneTransaction(source, items, guard)), deadLettered: 0 };
      } catch (error) {
        if (!(error instanceof PoisonEventError)) throw error;
        // fall through: isolate the event that fails
      }
    }
    const total: BatchOutcome = { applied: 0, skipped: 0, deadLettered: 0 };
    for (const item of items) {
      if (item.event) {
        try {
          const outcome = await this.applyInOneTransaction(source, [item], guard);
          total.applied += outcome.applied;
          total.skipped += outcome.skipped;
          continue;
        } catch (error) {
          if (!(error instanceof PoisonEventError)) throw error;
          await this.deadLetter(source, item, 'apply_failed', error.message, guard);
        }
      } else {
        await this.deadLetter(source, item, item.poison?.reason ?? 'undecodable', item.poison?.error ?? 'undecodable record', guard);
      }
      total.deadLettered += 1;
    }
    return total;
  }

  /**
   * The events of `items` this projection has not applied yet, in order: the streams it wants, each event newer
   * than the revision `known` for its stream (`known` is moved along). Throws on an item without an event.
   */
  freshEvents(items: SourceItem[], known: Map<string, number>): ProjectedEvent[] {
    const fresh: ProjectedEvent[] = [];
    for (const item of items) {
      const event = item.event!;
      if (!this.projection.wants(event.streamId)) continue;
      if (event.revision <= (known.get(event.streamId) ?? -1)) continue;
      known.set(event.streamId, event.revision);
      fresh.push(event);
    }
    return fresh;
  }

  /** Tells the runner's listener which events a committed transaction made visible (also for transactions it joined). */
  committed(events: ProjectedEvent[]): void {
    if (events.length) this.onCommitted?.(events);
  }

  private async applyInOneTransaction(source: string, items: SourceItem[], guard?: CheckpointGuard): Promise<Omit<BatchOutcome, 'deadLettered'>> {
    const streams = [...new Set(items.map((i) => i.event!.streamId).filter((s) => this.projection.wants(s)))];
    const position = items[items.length - 1].position;
    let committed: ProjectedEvent[] = [];
    const outcome = await this.sql.transaction(async (tx) => {
      // Serialises writers of one projection (live projector, rebuild swap) so revisions are read and written atomically.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKeyOf(this.projection.name)]);
      const known = await streamRevisions(tx, this.key, streams);
      const before = new Map(known);
      const fresh = this.freshEvents(items, known);
      if (fresh.length) await this.projection.apply(tx, fresh, this.suffix);
      const touched = new Map([...known].filter(([s, r]) => before.get(s) !== r));
      if (guard) {
        await advanceCheckpoints(tx, source, [
          { projection: this.key, expected: guard.expected, position, shapeVersion: shapeVersionOf(this.projection), revisions: touched },
        ]);
      } else {
        await writeStreamRevisions(tx, this.key, touched);
        await writeCheckpoint(tx, this.key, source, position, shapeVersionOf(this.projection));
      }
      committed = fresh;
      return { applied: fresh.length, skipped: items.length - fresh.length };
    });
    if (guard) guard.expected = position;
    this.committed(committed);
    return outcome;
  }

  /**
   * The sink first (the dead-letter topic), then the row and the checkpoint in one transaction. The payload is
   * kept as bytes (BYTEA), so whatever the record held — a NUL byte, invalid UTF-8 — is stored, never refused.
   */
  private async deadLetter(source: string, item: SourceItem, reason: DeadLetterReason, error: string, guard?: CheckpointGuard): Promise<void> {
    const letter: DeadLetter = {
      projection: this.key,
      source,
      position: item.position,
      eventId: item.event?.eventId,
      error: storableText(error),
      reason,
      payload: payloadOf(item),
      ...(item.raw ? { raw: item.raw } : {}),
    };
    await this.deadLetters.send(letter);
    await this.sql.transaction(async (tx) => {
      await tx.query(
        'INSERT INTO projection_dead_letters (projection, source, position, event_id, error, payload, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [letter.projection, source, item.position, letter.eventId ?? null, letter.error, letter.payload ?? null, reason],
      );
      const shapeVersion = shapeVersionOf(this.projection);
      if (guard)
        await advanceCheckpoints(tx, source, [{ projection: this.key, expected: guard.expected, position: item.position, shapeVersion, revisions: new Map() }]);
      else await writeCheckpoint(tx, this.key, source, item.position, shapeVersion);
    });
    if (guard) guard.expected = item.position;
  }
}

/** The advisory lock every writer of a projection's tables takes inside its transaction (runner, rebuild swap). */
export function lockKeyOf(projection: string): string {
  return `projection:${projection}`;
}

/** Where the caller last saw the checkpoint (undefined: none yet); moved along by each commit. */
export interface CheckpointGuard {
  expected: string | undefined;
}

function payloadOf(item: SourceItem): Buffer | undefined {
  if (item.raw?.value) return item.raw.value;
  const given = item.poison?.payload;
  if (given !== undefined) return Buffer.isBuffer(given) ? given : Buffer.from(given, 'utf8');
  return item.event ? Buffer.from(JSON.stringify(item.event), 'utf8') : undefined;
}

/** Dead letters recorded only in the projection_dead_letters table (the embedded default has no Kafka). */
export const tableOnlyDeadLetters: DeadLetterSink = { send: async () => undefined };
