/**
 * Tables every projection shares: its checkpoints (per source: the store's feed or a Kafka partition, each with
 * the shape version of the view tables it belongs to), the last revision applied per stream (so a redelivered or
 * republished event is applied once), and dead letters (the record's original bytes as BYTEA, with the reason
 * code and the error). Writers that keep checkpoints in memory move them by compare and set (advanceCheckpoints),
 * several projections' revisions and checkpoints in one statement.
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

/** The last revision applied per stream for several projections at once (one statement): key → stream → revision. */
export async function streamRevisionsOfMany(tx: SqlQueryable, projections: string[], streams: string[]): Promise<Map<string, Map<string, number>>> {
  const byProjection = new Map(projections.map((p) => [p, new Map<string, number>()]));
  if (projections.length === 0 || streams.length === 0) return byProjection;
  const rows = await tx.query<{ projection: string; stream_id: string; revision: number }>(
    'SELECT projection, stream_id, revision FROM projection_stream_revisions WHERE projection = ANY($1::text[]) AND stream_id = ANY($2::text[])',
    [projections, streams],
  );
  for (const r of rows.rows) byProjection.get(r.projection)?.set(r.stream_id, Number(r.revision));
  return byProjection;
}

/** The checkpoints of several projections for one source (one statement); a projection without one is absent. */
export async function checkpointsOfMany(sql: SqlQueryable, projections: string[], source: string): Promise<Map<string, string>> {
  const rows = await sql.query<{ projection: string; position: string }>(
    'SELECT projection, position FROM projection_checkpoints WHERE projection = ANY($1::text[]) AND source = $2',
    [projections, source],
  );
  return new Map(rows.rows.map((r) => [r.projection, r.position]));
}

/** A checkpoint moved from `expected` (undefined: none yet) to `position`, with the revisions its batch applied. */
export interface CheckpointAdvance {
  projection: string;
  expected: string | undefined;
  position: string;
  shapeVersion: number;
  revisions: Map<string, number>;
}

/**
 * Thrown inside a transaction when a checkpoint is no longer where its writer last saw it: another process, a
 * rebuild's swap or a reset moved it. The transaction rolls back; the writer reads the checkpoints again.
 */
export class CheckpointMovedError extends Error {
  constructor(readonly projections: string[]) {
    super(`checkpoint moved under its writer: ${projections.join(', ')}`);
    this.name = 'CheckpointMovedError';
  }
}

/**
 * Writes the stream revisions and moves the checkpoints of several projections in one statement, each checkpoint
 * only from where its writer last saw it (compare and set); throws CheckpointMovedError when one was elsewhere.
 */
export async function advanceCheckpoints(tx: SqlQueryable, source: string, advances: CheckpointAdvance[]): Promise<void> {
  if (advances.length === 0) return;
  const revisions = advances.flatMap((a) => [...a.revisions].map(([stream, revision]) => ({ projection: a.projection, stream, revision })));
  const written = await tx.query<{ projection: string }>(
    `WITH revisions AS (
       INSERT INTO projection_stream_revisions (projection, stream_id, revision)
       SELECT p, s, r FROM unnest($1::text[], $2::text[], $3::int[]) AS t(p, s, r)
       ON CONFLICT (projection, stream_id) DO UPDATE SET revision = EXCLUDED.revision
     ), moves AS (
       SELECT * FROM unnest($4::text[], $5::text[], $6::text[], $7::int[]) AS m(projection, expected, position, shape_version)
     ), moved AS (
       UPDATE projection_checkpoints c SET position = m.position, updated_at = now(), shape_version = m.shape_version
       FROM moves m WHERE m.expected IS NOT NULL AND c.projection = m.projection AND c.source = $8 AND c.position = m.expected
       RETURNING c.projection
     ), started AS (
       INSERT INTO projection_checkpoints (projection, source, position, updated_at, shape_version)
       SELECT m.projection, $8, m.position, now(), m.shape_version FROM moves m WHERE m.expected IS NULL
       ON CONFLICT (projection, source) DO NOTHING
       RETURNING projection
     )
     SELECT projection FROM moved UNION ALL SELECT projection FROM started`,
    [
      revisions.map((r) => r.projection),
      revisions.map((r) => r.stream),
      revisions.map((r) => r.revision),
      advances.map((a) => a.projection),
      advances.map((a) => a.expected ?? null),
      advances.map((a) => a.position),
      advances.map((a) => a.shapeVersion),
      source,
    ],
  );
  const done = new Set(written.rows.map((r) => r.projection));
  const missed = advances.map((a) => a.projection).filter((p) => !done.has(p));
  if (missed.length) throw new CheckpointMovedError(missed);
}
