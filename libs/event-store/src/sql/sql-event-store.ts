/**
 * Event store on PostgreSQL or PGlite. An append is one call of a PL/pgSQL function (one round trip, one
 * transaction) that takes a transaction-scoped advisory lock, checks and bumps the stream's revision, then
 * inserts the events and the stream's new anchor: so the global feed is gap-free in commit order and every
 * append is anchored in the same transaction (anchors.ts). Group commit: while one write is on its way, the
 * appends that arrive meanwhile wait and then go together, in arrival order, as one call of the batch function
 * (each still checked against its own expected revision); alone, an append goes at once.
 */
import type { AppendResult, EventStore, EventToAppend, ExpectedRevision, ReadAllOptions, StoredEvent, StreamAnchor } from '../event-store.port';
import { WrongExpectedRevisionError } from '../event-store.port';
import { canonicalJson } from '../canonical-json';
import { chainPayload } from '../hash-chain';
import type { SqlClient } from '@aftersales/sql-client';
import { migrate } from '@aftersales/sql-client';
import { ANCHOR_EXISTING_STREAMS, APPEND_BATCH_FUNCTION, APPEND_FUNCTION } from './event-store-schema';
import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS } from './event-store-migrations';

interface EventRow {
  global_position: string | number | bigint;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: Date | string;
  prev_hash: string | null;
  hash: string | null;
  hash_scheme: number | null;
}

interface AnchorRow {
  sequence: string | number | bigint;
  stream_id: string;
  revision: number;
  head_hash: string;
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'global_position, stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash, hash_scheme';
const ANCHOR_COLUMNS = 'sequence, stream_id, revision, head_hash, prev_hash, hash';

function toAnchor(row: AnchorRow): StreamAnchor {
  return {
    sequence: Number(row.sequence),
    streamId: row.stream_id,
    revision: row.revision,
    headHash: row.head_hash,
    prevAnchorHash: row.prev_hash,
    anchorHash: row.hash,
  };
}

function toStored(row: EventRow): StoredEvent {
  return {
    streamId: row.stream_id,
    revision: row.revision,
    position: String(row.global_position),
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata as StoredEvent['metadata'],
    recordedAt: new Date(row.recorded_at).toISOString(),
    ...(row.hash ? { prevHash: row.prev_hash ?? undefined, hash: row.hash, hashScheme: row.hash_scheme ?? 1 } : {}),
  };
}

/**
 * One event as the append function takes it (`eventId`, `type`, `schemaVersion`, `data`, `metadata` and the text
 * its hash covers, `chainPayload`), with its data and metadata serialised once: the canonical JSON of the two is
 * both what the function stores and what `chainPayload` (hash-chain.ts) is assembled from. RFC 8785 sorts members
 * by key, so the payload is the canonical JSON of each field in the order data, eventId, metadata, schemaVersion,
 * streamId, type — `chainPayload` itself, character for character (test/append-document.spec.ts).
 */
export function appendDocument(streamId: string, event: EventToAppend): string {
  if (event.data === undefined || event.metadata === undefined || event.schemaVersion === undefined) {
    return JSON.stringify({ ...pick(event), chainPayload: chainPayload(streamId, event) });
  }
  const data = canonicalJson(event.data);
  const metadata = canonicalJson(event.metadata);
  const eventId = JSON.stringify(event.eventId);
  const type = JSON.stringify(event.type);
  const schemaVersion = canonicalJson(event.schemaVersion);
  const payload = `{"data":${data},"eventId":${eventId},"metadata":${metadata},"schemaVersion":${schemaVersion},"streamId":${JSON.stringify(streamId)},"type":${type}}`;
  return `{"eventId":${eventId},"type":${type},"schemaVersion":${schemaVersion},"data":${data},"metadata":${metadata},"chainPayload":${JSON.stringify(payload)}}`;
}

const pick = (e: EventToAppend) => ({ eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata });

/** An append waiting for its write: its events already serialised once, as the function takes them. */
interface PendingAppend {
  streamId: string;
  expected: ExpectedRevision;
  eventsJson: string;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** Most appends one group commit carries. */
export const MAX_GROUP_COMMIT = 64;

const expectedNumber = (expected: ExpectedRevision) => (expected === 'no_stream' || expected === 'any' ? -1 : expected);

function settle(append: PendingAppend, revision: number | null | undefined, position: string | number | null, actual: number): void {
  if (revision === null || revision === undefined) append.reject(new WrongExpectedRevisionError(append.streamId, append.expected, actual));
  else append.resolve({ revision, position: String(position) });
}

export class SqlEventStore implements EventStore {
  private readonly waiting: PendingAppend[] = [];
  private writing = false;

  constructor(
    readonly kind: 'pglite' | 'postgres',
    private readonly sql: SqlClient,
    /** Most appends one write carries (1: no group commit, each append its own write as they come). */
    private readonly maxGroup = MAX_GROUP_COMMIT,
  ) {}

  static async open(kind: 'pglite' | 'postgres', sql: SqlClient, options: { maxGroup?: number } = {}): Promise<SqlEventStore> {
    await migrate(sql, EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS); // tables and functions (event-store-migrations.ts)
    const anchoring = await sql.query<{ anchored: boolean; streams: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM anchors) AS anchored, EXISTS (SELECT 1 FROM streams) AS streams',
    );
    if (!anchoring.rows[0].anchored && anchoring.rows[0].streams) await sql.query(ANCHOR_EXISTING_STREAMS);
    return new SqlEventStore(kind, sql, options.maxGroup);
  }

  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    const eventsJson = `[${events.map((e) => appendDocument(streamId, e)).join(',')}]`;
    return new Promise((resolve, reject) => {
      const append = { streamId, expected, eventsJson, resolve, reject };
      // Without group commit every append is its own write, concurrent with the others (they queue on the lock).
      if (this.maxGroup <= 1) return void this.writeOne(append);
      this.waiting.push(append);
      this.writeWaiting();
    });
  }

  /** One write at a time; whatever arrived meanwhile goes in the next one. */
  private writeWaiting(): void {
    if (this.writing || this.waiting.length === 0) return;
    this.writing = true;
    const group = this.waiting.splice(0, Math.max(1, this.maxGroup));
    void (group.length === 1 ? this.writeOne(group[0]) : this.writeGroup(group)).finally(() => {
      this.writing = false;
      this.writeWaiting();
    });
  }

  private async writeOne(append: PendingAppend): Promise<void> {
    try {
      const result = await this.sql.query<{ new_revision: number | null; last_position: string | null; actual: number }>(
        `SELECT new_revision, last_position, actual FROM ${APPEND_FUNCTION}($1, $2, $3, $4::jsonb)`,
        [append.streamId, expectedNumber(append.expected), append.expected !== 'any', append.eventsJson],
      );
      settle(append, result.rows[0].new_revision, result.rows[0].last_position, result.rows[0].actual);
    } catch (error) {
      append.reject(error);
    }
  }

  private async writeGroup(group: PendingAppend[]): Promise<void> {
    // The events are spliced in as they were serialised: nothing is parsed or stringified twice.
    const payload = `[${group
      .map((a) => `{"stream":${JSON.stringify(a.streamId)},"expected":${expectedNumber(a.expected)},"check":${a.expected !== 'any'},"events":${a.eventsJson}}`)
      .join(',')}]`;
    let rows: Array<{ b_ord: number; b_revision: number | null; b_position: string | null; b_actual: number }>;
    try {
      rows = (await this.sql.query<(typeof rows)[number]>(`SELECT b_ord, b_revision, b_position, b_actual FROM ${APPEND_BATCH_FUNCTION}($1::jsonb)`, [payload]))
        .rows;
    } catch {
      // Nothing of the group was written: one by one, so only the append at fault fails.
      for (const append of group) await this.writeOne(append);
      return;
    }
    for (const row of rows) settle(group[row.b_ord - 1], row.b_revision, row.b_position, row.b_actual);
  }

  async readStream(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): Promise<StoredEvent[]> {
    const result = await this.sql.query<EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`, [
      streamId,
      options.fromRevision ?? 0,
      options.maxCount ?? 2_147_483_647,
    ]);
    return result.rows.map(toStored);
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    const after = options.after === undefined ? '0' : options.after;
    if (!/^\d+$/.test(after)) throw new Error(`not a position of this store: ${after}`);
    const result = await this.sql.query<EventRow>(`SELECT ${COLUMNS} FROM events WHERE global_position > $1::bigint ORDER BY global_position LIMIT $2`, [
      after,
      options.maxCount,
    ]);
    return result.rows.map(toStored);
  }

  async headPosition(): Promise<string | undefined> {
    const result = await this.sql.query<{ head: string | number | null }>('SELECT max(global_position) AS head FROM events');
    const head = result.rows[0]?.head;
    return head === null || head === undefined ? undefined : String(head);
  }

  async readAnchors(options: { afterSequence?: number; maxCount: number }): Promise<StreamAnchor[]> {
    const result = await this.sql.query<AnchorRow>(`SELECT ${ANCHOR_COLUMNS} FROM anchors WHERE sequence > $1 ORDER BY sequence LIMIT $2`, [
      options.afterSequence ?? 0,
      options.maxCount,
    ]);
    return result.rows.map(toAnchor);
  }

  async streamAnchors(streamId: string): Promise<StreamAnchor[]> {
    const result = await this.sql.query<AnchorRow>(`SELECT ${ANCHOR_COLUMNS} FROM anchors WHERE stream_id = $1 ORDER BY sequence`, [streamId]);
    return result.rows.map(toAnchor);
  }

  async anchorHead(): Promise<StreamAnchor | undefined> {
    const result = await this.sql.query<AnchorRow>(`SELECT ${ANCHOR_COLUMNS} FROM anchors ORDER BY sequence DESC LIMIT 1`);
    return result.rows[0] && toAnchor(result.rows[0]);
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.sql.close();
  }
}
