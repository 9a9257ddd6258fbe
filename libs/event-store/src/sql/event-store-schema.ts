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
-- NULL: scheme 1 (written before recorded_at was covered by the hash); hash-chain.ts
ALTER TABLE events ADD COLUMN IF NOT EXISTS hash_scheme SMALLINT;
-- One row per append, hash-chained across streams (anchors.ts).
CREATE TABLE IF NOT EXISTS anchors (
  sequence    BIGINT      PRIMARY KEY,
  stream_id   TEXT        NOT NULL,
  revision    INTEGER     NOT NULL,
  head_hash   TEXT        NOT NULL,
  prev_hash   TEXT        NOT NULL,
  hash        TEXT        NOT NULL,
  anchored_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS anchors_by_stream ON anchors (stream_id, sequence);
`;

/** Serialises appenders so global positions become visible in order: a reader never skips a late commit. */
export const APPEND_LOCK_KEY = 4_207_001;

export const APPEND_FUNCTION = 'aftersales_append_v3';

/**
 * One round trip per append: lock, check the expected revision, bump the stream, insert the events (hash scheme
 * 2: recorded_at, taken once after the lock and cut to milliseconds, is inside each hash), then append one anchor
 * with the stream's new head: all inside one statement (so one transaction). Answers the new revision and last
 * global position, or, when the expected revision does not match, NULLs and the actual revision (nothing written).
 * The anchor's sequence is the previous anchor's plus one (under the lock), so the chain has no gaps.
 */
export const APPEND_FUNCTION_DDL = `
CREATE OR REPLACE FUNCTION ${APPEND_FUNCTION}(p_stream TEXT, p_expected INTEGER, p_check BOOLEAN, p_events JSONB)
RETURNS TABLE (new_revision INTEGER, last_position BIGINT, actual INTEGER) AS $$
DECLARE
  v_actual INTEGER;
  v_revision INTEGER;
  v_prev TEXT;
  v_hash TEXT;
  v_last BIGINT;
  v_event RECORD;
  v_recorded TIMESTAMPTZ;
  v_recorded_text TEXT;
  v_anchor_sequence BIGINT;
  v_anchor_prev TEXT;
BEGIN
  PERFORM pg_advisory_xact_lock(${APPEND_LOCK_KEY});
  SELECT s.revision, s.last_hash INTO v_actual, v_prev FROM streams s WHERE s.stream_id = p_stream;
  v_actual := COALESCE(v_actual, -1);
  v_prev := COALESCE(v_prev, repeat('0', 64));
  IF p_check AND v_actual <> p_expected THEN
    RETURN QUERY SELECT NULL::INTEGER, NULL::BIGINT, v_actual;
    RETURN;
  END IF;
  v_recorded := date_trunc('milliseconds', clock_timestamp());
  v_recorded_text := to_char(v_recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  FOR v_event IN SELECT e.value, e.ord FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord) ORDER BY e.ord LOOP
    v_hash := encode(sha256(convert_to(v_prev || E'\\n' || v_recorded_text || E'\\n' || (v_event.value->>'chainPayload'), 'UTF8')), 'hex');
    INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash, hash_scheme)
    VALUES (p_stream, v_actual + v_event.ord::INTEGER, (v_event.value->>'eventId')::UUID, v_event.value->>'type',
            (v_event.value->>'schemaVersion')::INTEGER, v_event.value->'data', v_event.value->'metadata', v_recorded, v_prev, v_hash, 2)
    RETURNING global_position INTO v_last;
    v_prev := v_hash;
  END LOOP;
  v_revision := v_actual + jsonb_array_length(p_events);
  INSERT INTO streams (stream_id, revision, last_hash) VALUES (p_stream, v_revision, v_prev)
    ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision, last_hash = EXCLUDED.last_hash;
  SELECT a.sequence, a.hash INTO v_anchor_sequence, v_anchor_prev FROM anchors a ORDER BY a.sequence DESC LIMIT 1;
  v_anchor_sequence := COALESCE(v_anchor_sequence, 0) + 1;
  v_anchor_prev := COALESCE(v_anchor_prev, repeat('0', 64));
  INSERT INTO anchors (sequence, stream_id, revision, head_hash, prev_hash, hash, anchored_at)
  VALUES (v_anchor_sequence, p_stream, v_revision, v_prev, v_anchor_prev,
          encode(sha256(convert_to(v_anchor_prev || E'\\n' || v_anchor_sequence || E'\\n' || v_revision || E'\\n' || v_prev || E'\\n' || p_stream, 'UTF8')), 'hex'),
          v_recorded);
  RETURN QUERY SELECT v_revision, v_last, v_actual;
END
$$ LANGUAGE plpgsql;`;

export const APPEND_BATCH_FUNCTION = 'aftersales_append_batch_v1';

/**
 * Group commit: many appends (each `{stream, expected, check, events}`) in one statement, so one transaction and
 * one round trip. Each is the append function above, in order: each checks its own expected revision and extends
 * its own stream's chain and the anchor chain, so the outcome is exactly that of the same appends one after the
 * other. A refused append writes nothing and the others go on; an error (a duplicate event id) rolls back all of
 * them, and the store then retries them one by one so only the faulty one fails.
 */
export const APPEND_BATCH_FUNCTION_DDL = `
CREATE OR REPLACE FUNCTION ${APPEND_BATCH_FUNCTION}(p_appends JSONB)
RETURNS TABLE (b_ord INTEGER, b_revision INTEGER, b_position BIGINT, b_actual INTEGER) AS $$
DECLARE
  v_item RECORD;
  v_result RECORD;
BEGIN
  FOR v_item IN SELECT e.value, e.ord FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS e(value, ord) ORDER BY e.ord LOOP
    SELECT r.new_revision, r.last_position, r.actual INTO v_result
      FROM ${APPEND_FUNCTION}(v_item.value->>'stream', (v_item.value->>'expected')::INTEGER, (v_item.value->>'check')::BOOLEAN, v_item.value->'events') r;
    b_ord := v_item.ord::INTEGER;
    b_revision := v_result.new_revision;
    b_position := v_result.last_position;
    b_actual := v_result.actual;
    RETURN NEXT;
  END LOOP;
END
$$ LANGUAGE plpgsql;`;

/**
 * Run once on a store written before anchoring began (anchors empty, streams present): anchors every stream's
 * current head, in the order the streams were last written, under the append lock. Idempotent: a second runner
 * finds the anchors present and does nothing.
 */
export const ANCHOR_EXISTING_STREAMS = `
DO $$
DECLARE
  r RECORD;
  v_sequence BIGINT := 0;
  v_prev TEXT := repeat('0', 64);
  v_hash TEXT;
BEGIN
  PERFORM pg_advisory_xact_lock(${APPEND_LOCK_KEY});
  IF EXISTS (SELECT 1 FROM anchors) THEN RETURN; END IF;
  FOR r IN
    SELECT s.stream_id, s.revision, s.last_hash FROM streams s
    WHERE s.last_hash IS NOT NULL
    ORDER BY (SELECT max(e.global_position) FROM events e WHERE e.stream_id = s.stream_id), s.stream_id
  LOOP
    v_sequence := v_sequence + 1;
    v_hash := encode(sha256(convert_to(v_prev || E'\\n' || v_sequence || E'\\n' || r.revision || E'\\n' || r.last_hash || E'\\n' || r.stream_id, 'UTF8')), 'hex');
    INSERT INTO anchors (sequence, stream_id, revision, head_hash, prev_hash, hash, anchored_at)
    VALUES (v_sequence, r.stream_id, r.revision, r.last_hash, v_prev, v_hash, date_trunc('milliseconds', clock_timestamp()));
    v_prev := v_hash;
  END LOOP;
END
$$;`;
