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
ALTER TABLE events ADD COLUMN IF NOT EXISTS prev_hash TEXT;
ALTER TABLE events ADD COLUMN IF NOT EXISTS hash TEXT;
ALTER TABLE streams ADD COLUMN IF NOT EXISTS last_hash TEXT;
`;

/** Serialises appenders so global positions become visible in order: a reader never skips a late commit. */
export const APPEND_LOCK_KEY = 4_207_001;

export const APPEND_FUNCTION = 'aftersales_append_v2';

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
  v_prev TEXT;
  v_hash TEXT;
  v_last BIGINT;
  v_event RECORD;
BEGIN
  PERFORM pg_advisory_xact_lock(${APPEND_LOCK_KEY});
  SELECT s.revision, s.last_hash INTO v_actual, v_prev FROM streams s WHERE s.stream_id = p_stream;
  v_actual := COALESCE(v_actual, -1);
  v_prev := COALESCE(v_prev, repeat('0', 64));
  IF p_check AND v_actual <> p_expected THEN
    RETURN QUERY SELECT NULL::INTEGER, NULL::BIGINT, v_actual;
    RETURN;
  END IF;
  FOR v_event IN SELECT e.value, e.ord FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord) ORDER BY e.ord LOOP
    v_hash := encode(sha256(convert_to(v_prev || E'\\n' || (v_event.value->>'chainPayload'), 'UTF8')), 'hex');
    INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata, prev_hash, hash)
    VALUES (p_stream, v_actual + v_event.ord::INTEGER, (v_event.value->>'eventId')::UUID, v_event.value->>'type',
            (v_event.value->>'schemaVersion')::INTEGER, v_event.value->'data', v_event.value->'metadata', v_prev, v_hash)
    RETURNING global_position INTO v_last;
    v_prev := v_hash;
  END LOOP;
  INSERT INTO streams (stream_id, revision, last_hash) VALUES (p_stream, v_actual + jsonb_array_length(p_events), v_prev)
    ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision, last_hash = EXCLUDED.last_hash;
  RETURN QUERY SELECT v_actual + jsonb_array_length(p_events), v_last, v_actual;
END
$$ LANGUAGE plpgsql;`;
