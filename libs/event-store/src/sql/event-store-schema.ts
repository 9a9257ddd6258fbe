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

export const APPEND_FUNCTION = 'aftersales_append_v1';

/**
 * One round trip per append: lock, check the expected revision, bump the stream, insert the events, all inside
 * one statement (so one transaction). Answers the new revision and last global position, or, when the expected
 * revision does not match, NULLs and the actual revision (nothing written).
 */
export const APPEND_FUNCTION_DDL = `
CREATE OR REPLACE FUNCTION ${APPEND_FUNCTION}(p_stream TEXT, p_expected INTEGER, p_check BOOLEAN, p_events JSONB)
RETURNS TABLE (new_revision INTEGER, last_position BIGINT, actual INTEGER) AS $$
DECLARE
  v_actual INTEGER;
  v_count INTEGER := jsonb_array_length(p_events);
  v_last BIGINT;
BEGIN
  PERFORM pg_advisory_xact_lock(${APPEND_LOCK_KEY});
  SELECT s.revision INTO v_actual FROM streams s WHERE s.stream_id = p_stream;
  v_actual := COALESCE(v_actual, -1);
  IF p_check AND v_actual <> p_expected THEN
    RETURN QUERY SELECT NULL::INTEGER, NULL::BIGINT, v_actual;
    RETURN;
  END IF;
  INSERT INTO streams (stream_id, revision) VALUES (p_stream, v_actual + v_count)
    ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision;
  WITH inserted AS (
    INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata)
    SELECT p_stream, v_actual + e.ord::INTEGER, (e.value->>'eventId')::UUID, e.value->>'type',
           (e.value->>'schemaVersion')::INTEGER, e.value->'data', e.value->'metadata'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord)
    RETURNING global_position
  )
  SELECT max(global_position) INTO v_last FROM inserted;
  RETURN QUERY SELECT v_actual + v_count, v_last, v_actual;
END
$$ LANGUAGE plpgsql;`;
