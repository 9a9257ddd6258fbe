/**
 * Event store on PostgreSQL or PGlite. An append takes a transaction-scoped advisory lock, checks and bumps the
 * stream's revision, then inserts the events: so the global feed is gap-free in commit order.
 */
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  StoredEvent,
} from '../event-store.port';
import { WrongExpectedRevisionError, revisionMatches } from '../event-store.port';
import type { SqlClient } from '@aftersales/sql-client';
import { APPEND_LOCK_KEY, EVENT_STORE_SCHEMA } from './event-store-schema';

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
}

const COLUMNS = 'global_position, stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at';

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
  };
}

export class SqlEventStore implements EventStore {
  constructor(
    readonly kind: 'pglite' | 'postgres',
    private readonly sql: SqlClient,
  ) {}

  static async open(kind: 'pglite' | 'postgres', sql: SqlClient): Promise<SqlEventStore> {
    await sql.query(EVENT_STORE_SCHEMA);
    return new SqlEventStore(kind, sql);
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    return this.sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);
      const current = await tx.query<{ revision: number }>('SELECT revision FROM streams WHERE stream_id = $1', [streamId]);
      const actual = current.rows.length ? current.rows[0].revision : -1;
      if (!revisionMatches(expected, actual)) throw new WrongExpectedRevisionError(streamId, expected, actual);
      const last = actual + events.length;
      await tx.query(
        'INSERT INTO streams (stream_id, revision) VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision',
        [streamId, last],
      );
      const params: unknown[] = [];
      const tuples = events.map((event, i) => {
        const base = params.length;
        params.push(
          streamId,
          actual + 1 + i,
          event.eventId,
          event.type,
          event.schemaVersion,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
        );
        return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}::jsonb, $${base + 7}::jsonb)`;
      });
      const inserted = await tx.query<{ global_position: string }>(
        `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata)
         VALUES ${tuples.join(', ')} RETURNING global_position`,
        params,
      );
      return { revision: last, position: String(inserted.rows[inserted.rows.length - 1].global_position) };
    });
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

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.sql.close();
  }
}
