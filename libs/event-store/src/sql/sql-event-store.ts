/**
 * Event store on PostgreSQL or PGlite. An append is one call of a PL/pgSQL function (one round trip, one
 * transaction) that takes a transaction-scoped advisory lock, checks and bumps the stream's revision, then
 * inserts the events and the stream's new anchor: so the global feed is gap-free in commit order and every
 * append is anchored in the same transaction (anchors.ts).
 */
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  StoredEvent,
  StreamAnchor,
} from '../event-store.port';
import { WrongExpectedRevisionError } from '../event-store.port';
import { chainPayload } from '../hash-chain';
import type { SqlClient } from '@aftersales/sql-client';
import { ANCHOR_EXISTING_STREAMS, APPEND_FUNCTION, APPEND_FUNCTION_DDL, EVENT_STORE_SCHEMA } from './event-store-schema';

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

export class SqlEventStore implements EventStore {
  constructor(
    readonly kind: 'pglite' | 'postgres',
    private readonly sql: SqlClient,
  ) {}

  static async open(kind: 'pglite' | 'postgres', sql: SqlClient): Promise<SqlEventStore> {
    await sql.applySchema(EVENT_STORE_SCHEMA);
    const present = await sql.query('SELECT 1 FROM pg_proc WHERE proname = $1', [APPEND_FUNCTION]);
    if (present.rows.length === 0) {
      try {
        await sql.query(APPEND_FUNCTION_DDL);
      } catch (error) {
        // Another process created it at the same moment.
        if ((await sql.query('SELECT 1 FROM pg_proc WHERE proname = $1', [APPEND_FUNCTION])).rows.length === 0) throw error;
      }
    }
    const anchoring = await sql.query<{ anchored: boolean; streams: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM anchors) AS anchored, EXISTS (SELECT 1 FROM streams) AS streams',
    );
    if (!anchoring.rows[0].anchored && anchoring.rows[0].streams) await sql.query(ANCHOR_EXISTING_STREAMS);
    return new SqlEventStore(kind, sql);
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const payload = JSON.stringify(
      events.map((e) => ({
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
        chainPayload: chainPayload(streamId, e),
      })),
    );
    const check = expected !== 'any';
    const expectedNumber = expected === 'no_stream' || expected === 'any' ? -1 : expected;
    const result = await this.sql.query<{ new_revision: number | null; last_position: string | null; actual: number }>(
      `SELECT new_revision, last_position, actual FROM ${APPEND_FUNCTION}($1, $2, $3, $4::jsonb)`,
      [streamId, expectedNumber, check, payload],
    );
    const row = result.rows[0];
    if (row.new_revision === null || row.new_revision === undefined) throw new WrongExpectedRevisionError(streamId, expected, row.actual);
    return { revision: row.new_revision, position: String(row.last_position) };
  }

  async readStream(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): Promise<StoredEvent[]> {
    const result = await this.sql.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      [streamId, options.fromRevision ?? 0, options.maxCount ?? 2_147_483_647],
    );
    return result.rows.map(toStored);
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    const after = options.after === undefined ? '0' : options.after;
    if (!/^\d+$/.test(after)) throw new Error(`not a position of this store: ${after}`);
    const result = await this.sql.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE global_position > $1::bigint ORDER BY global_position LIMIT $2`,
      [after, options.maxCount],
    );
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
