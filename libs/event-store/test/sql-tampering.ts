/**
 * For the SQL stores: an event altered in the table after the fact breaks the chain at exactly that revision; and
 * the statements an attacker with access to the tables would run, for the contract's tampering tests.
 */
import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@aftersales/sql-client';
import type { EventStore, EventToAppend } from '../src';
import { GENESIS_HASH, SqlEventStore, chainHash, chainPayload, verifyChain } from '../src';
import type { Tampering } from './event-store.contract';

export function sqlTampering(sql: SqlClient): Tampering {
  return {
    async deleteNewestEvent(streamId) {
      await sql.query('DELETE FROM events WHERE stream_id = $1 AND revision = (SELECT max(revision) FROM events WHERE stream_id = $1)', [streamId]);
      // and cover the tracks: the stream's head as if the event had never been written
      await sql.query(
        `UPDATE streams SET revision = (SELECT max(revision) FROM events WHERE stream_id = $1),
                            last_hash = (SELECT hash FROM events WHERE stream_id = $1 ORDER BY revision DESC LIMIT 1)
         WHERE stream_id = $1`,
        [streamId],
      );
    },
    async deleteStream(streamId) {
      await sql.query('DELETE FROM events WHERE stream_id = $1', [streamId]);
      await sql.query('DELETE FROM streams WHERE stream_id = $1', [streamId]);
    },
    async setRecordedAt(streamId, revision, iso) {
      await sql.query('UPDATE events SET recorded_at = $3::timestamptz WHERE stream_id = $1 AND revision = $2', [streamId, revision, iso]);
    },
    async writeSchemeOneStream(streamId, events: EventToAppend[]) {
      let prev = GENESIS_HASH;
      for (const [revision, e] of events.entries()) {
        const hash = chainHash(prev, chainPayload(streamId, e));
        await sql.query(
          `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, '2025-06-01T10:00:00.123456Z', $8, $9)`,
          [streamId, revision, e.eventId, e.type, e.schemaVersion, JSON.stringify(e.data), JSON.stringify(e.metadata), prev, hash],
        );
        prev = hash;
      }
      await sql.query('INSERT INTO streams (stream_id, revision, last_hash) VALUES ($1, $2, $3)', [streamId, events.length - 1, prev]);
    },
  };
}

export function sqlTamperingSuite(name: string, open: () => Promise<{ store: EventStore; sql: SqlClient }>): void {
  describe(`Hash chain against tampering: ${name}`, () => {
    it('names the first broken link when a stored event is altered, or one is removed', async () => {
      const { store, sql } = await open();
      const stream = `case-${randomUUID()}`;
      const meta = { occurredAt: '2026-01-01T00:00:00.000Z', actor: { type: 'agent', id: 'a' }, correlationId: 'c', causationId: 'c' };
      await store.append(
        stream,
        [0, 1, 2, 3].map((n) => ({ eventId: randomUUID(), type: 'RefundIssued', schemaVersion: 1, data: { amount: 10 + n, currency: 'EUR' }, metadata: meta })),
        'no_stream',
      );
      expect(verifyChain(stream, await store.readStream(stream)).valid).toBe(true);

      await sql.query(`UPDATE events SET data = jsonb_set(data, '{amount}', '999') WHERE stream_id = $1 AND revision = 2`, [stream]);
      const altered = verifyChain(stream, await store.readStream(stream));
      expect(altered).toMatchObject({ valid: false, firstBrokenLink: { revision: 2, reason: 'HASH_MISMATCH' } });

      await sql.query(`UPDATE events SET data = jsonb_set(data, '{amount}', '12') WHERE stream_id = $1 AND revision = 2`, [stream]);
      expect(verifyChain(stream, await store.readStream(stream)).valid).toBe(true);
      await sql.query('DELETE FROM events WHERE stream_id = $1 AND revision = 1', [stream]);
      expect(verifyChain(stream, await store.readStream(stream))).toMatchObject({ valid: false, firstBrokenLink: { revision: 2, reason: 'REVISION_GAP' } });
      await store.close();
    });

    it('a store written before anchoring began gets every stream head anchored when it is opened', async () => {
      const { store, sql } = await open();
      const stream = `case-${randomUUID()}`;
      const meta = { occurredAt: '2026-01-01T00:00:00.000Z', actor: { type: 'agent', id: 'a' }, correlationId: 'c', causationId: 'c' };
      // As the previous release left it: scheme 1 events and no anchors at all.
      await sqlTampering(sql).writeSchemeOneStream(
        stream,
        [0, 1].map((n) => ({ eventId: randomUUID(), type: 'CaseNoted', schemaVersion: 1, data: { n }, metadata: meta })),
      );
      expect(await store.anchorHead()).toBeUndefined();
      const reopened = await SqlEventStore.open(store.kind as 'pglite' | 'postgres', sql);
      const events = await reopened.readStream(stream);
      const anchors = await reopened.streamAnchors(stream);
      expect(anchors).toEqual([expect.objectContaining({ sequence: 1, revision: 1, headHash: events[1].hash })]);
      expect(verifyChain(stream, events, anchors)).toMatchObject({ valid: true, anchor: { revision: 1 } });
      await SqlEventStore.open(store.kind as 'pglite' | 'postgres', sql); // a second opening anchors nothing again
      expect((await reopened.readAnchors({ maxCount: 10 })).map((a) => a.sequence)).toEqual([1]);
      await store.close();
    });
  });
}
