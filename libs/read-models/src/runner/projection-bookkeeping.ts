/**
 * Tables every projection shares: its checkpoints (per source: the store's feed or a Kafka partition, each with
 * the shape version of the view tables it belongs to), the last revision applied per stream (so a redelivered or
 * republished event is applied once), and dead letters (the record's original bytes as BYTEA, with the reason
 * code and the error).
 */
import { ddlStatements, migrate } from '@aftersales/sql-client';
import type { Migration, SqlClient, SqlQueryable } from '@aftersales/sql-client';

const TABLES = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  projection TEXT NOT NULL,
  source     TEXT NOT NULL,
  position   TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, source)
);
CREATE TABLE IF NOT EXISTS projection_stream_revisions (
  projection TEXT NOT NULL,
  stream_id  TEXT NOT NULL,
  revision   INTEGER NOT NULL,
  PRIMARY KEY (projection, stream_id)
);
CREATE TABLE IF NOT EXISTS projection_dead_letters (
  id          BIGSERIAL PRIMARY KEY,
  projection  TEXT NOT NULL,
  source      TEXT NOT NULL,
  position    TEXT NOT NULL,
  event_id    TEXT,
  error       TEXT NOT NULL,
  payload     BYTEA,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  reason      TEXT
);
`;

/** Databases made before dead letters were kept as bytes: TEXT could not hold a NUL byte, so the payload becomes BYTEA. */
const PAYLOAD_AS_BYTES = `DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
             AND table_name = 'projection_dead_letters' AND column_name = 'payload' AND data_type = 'text') THEN
    ALTER TABLE projection_dead_letters ALTER COLUMN payload TYPE BYTEA USING convert_to(payload, 'UTF8');
  END IF;
END $$`;

/**
 * The bookkeeping tables' migrations (libs/sql-client's runner). Each statement is also safe on a database made
 * before migrations were recorded, which holds some of these changes already.
 */
export const BOOKKEEPING_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'checkpoints, stream revisions and dead letters', statements: ddlStatements(TABLES) },
  {
    version: 2,
    name: 'shape version on checkpoints',
    // Views made before shapes were versioned are shape 1.
    statements: ['ALTER TABLE projection_checkpoints ADD COLUMN IF NOT EXISTS shape_version INTEGER NOT NULL DEFAULT 1'],
  },
  {
    version: 3,
    name: 'dead letters as bytes, with a reason',
    statements: ['ALTER TABLE projection_dead_letters ADD COLUMN IF NOT EXISTS reason TEXT', PAYLOAD_AS_BYTES],
  },
];

export async function ensureBookkeeping(sql: SqlClient): Promise<void> {
  await migrate(sql, 'projection-bookkeeping', BOOKKEEPING_MIGRATIONS);
}

export async function readCheckpoints(sql: SqlQueryable, projection: string): Promise<Map<string, string>> {
  const rows = await sql.query<{ source: string; position: string }>('SELECT source, position FROM projection_checkpoints WHERE projection = $1', [projection]);
  return new Map(rows.rows.map((r) => [r.source, r.position]));
}

export async function writeCheckpoint(tx: SqlQueryable, projection: string, source: string, position: string, shapeVersion: number): Promise<void> {
  await tx.query(
    `INSERT INTO projection_checkpoints (projection, source, position, updated_at, shape_version) VALUES ($1, $2, $3, now(), $4)
     ON CONFLICT (projection, source) DO UPDATE SET position = EXCLUDED.position, updated_at = now(), shape_version = EXCLUDED.shape_version`,
    [projection, source, position, shapeVersion],
  );
}

/** The shape versions the projection's checkpoints were written with (none: the view is empty, nothing to compare). */
export async function storedShapeVersions(sql: SqlQueryable, projection: string): Promise<number[]> {
  const rows = await sql.query<{ shape_version: number }>(
    'SELECT DISTINCT shape_version FROM projection_checkpoints WHERE projection = $1 ORDER BY shape_version',
    [projection],
  );
  return rows.rows.map((r) => Number(r.shape_version));
}

/** Whether the view's stored tables were built with another shape than `current` (then they must be rebuilt). */
export async function shapeChanged(sql: SqlQueryable, projection: string, current: number): Promise<{ stored: number[]; current: number } | undefined> {
  const stored = await storedShapeVersions(sql, projection);
  return stored.some((v) => v !== current) ? { stored, current } : undefined;
}

export async function streamRevisions(tx: SqlQueryable, projection: string, streams: string[]): Promise<Map<string, number>> {
  if (streams.length === 0) return new Map();
  const rows = await tx.query<{ stream_id: string; revision: number }>(
    'SELECT stream_id, revision FROM projection_stream_revisions WHERE projection = $1 AND stream_id = ANY($2::text[])',
    [projection, streams],
  );
  return new Map(rows.rows.map((r) => [r.stream_id, r.revision]));
}

export async function writeStreamRevisions(tx: SqlQueryable, projection: string, revisions: Map<string, number>): Promise<void> {
  if (revisions.size === 0) return;
  const streams = [...revisions.keys()];
  await tx.query(
    `INSERT INTO projection_stream_revisions (projection, stream_id, revision)
     SELECT $1, s, r FROM unnest($2::text[], $3::int[]) AS t(s, r)
     ON CONFLICT (projection, stream_id) DO UPDATE SET revision = EXCLUDED.revision`,
    [projection, streams, streams.map((s) => revisions.get(s)!)],
  );
}
