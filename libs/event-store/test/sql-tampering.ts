/** For the SQL stores: an event altered in the table after the fact breaks the chain at exactly that revision. */
import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@aftersales/sql-client';
import type { EventStore } from '../src';
import { verifyChain } from '../src';

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
  });
}
