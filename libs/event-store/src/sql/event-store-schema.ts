/** Tables of the SQL event store (PostgreSQL and PGlite share them). Created idempotently at start-up. */
export const EVENT_STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  global_position BIGSERIAL PRIMARY KEY,
  stream_id       TEXT        NOT NULL,
  revision        INTEGER     NOT NULL,
  event_id        UUID        NOT NULL UNIQUE,
  type            TEXT        NOT NULL,
  schema_version  INTEGER     NOT NULL,
  data            JSONB       NOT NULL,
  metadata        JSONB       NOT NULL,
  recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS streams (
  stream_id TEXT PRIMARY KEY,
  revision  INTEGER NOT NULL
);
`;

/** Serialises appenders so global positions become visible in order: a reader never skips a late commit. */
export const APPEND_LOCK_KEY = 4_207_001;
