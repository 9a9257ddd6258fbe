/**
 * Dead letters are kept as bytes: a record holding a NUL byte or invalid UTF-8 is stored in
 * projection_dead_letters exactly as delivered, with its reason code, and the checkpoint moves past it. A database
 * made when the payload was TEXT is converted in place at start-up, its rows kept.
 */
import { PgliteSqlClient } from '@aftersales/sql-client';
import type { SqlClient } from '@aftersales/sql-client';
import { freshPgliteDir } from '../../../test/harness/pglite-template';
import type { DeadLetter, ProjectedEvent, Projection } from '../src';
import { ProjectionRunner } from '../src';

class NothingProjection implements Projection {
  readonly name = 'escalation' as const;
  readonly tables = ['test_nothing'];
  schema = (suffix: string) => `CREATE TABLE IF NOT EXISTS test_nothing${suffix} (id TEXT PRIMARY KEY)`;
  wants = () => true;
  async apply(_tx: unknown, _events: ProjectedEvent[]): Promise<void> {}
}

describe('Dead letters as bytes', () => {
  let sql: SqlClient;
  beforeEach(async () => {
    sql = await PgliteSqlClient.open(freshPgliteDir());
  });
  afterEach(async () => sql.close());

  it('keeps the exact bytes of a poison record (NUL byte, invalid UTF-8) with its reason, once, and moves the checkpoint', async () => {
    const letters: DeadLetter[] = [];
    const runner = new ProjectionRunner(sql, new NothingProjection(), { send: async (l) => void letters.push(l) });
    await runner.init();
    const bytes = Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x7d]);
    const outcome = await runner.process('kafka:t:0', [
      { position: '5', poison: { error: 'holds a NUL byte\u0000 here', reason: 'undecodable' }, raw: { key: Buffer.from('k'), value: bytes } },
    ]);
    expect(outcome).toEqual({ applied: 0, skipped: 0, deadLettered: 1 });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ reason: 'undecodable', position: '5', error: 'holds a NUL byte\\u0000 here' });
    expect(letters[0].payload?.equals(bytes)).toBe(true);
    const rows = await sql.query<{ reason: string; error: string; payload: Uint8Array }>('SELECT reason, error, payload FROM projection_dead_letters');
    expect(rows.rows.map((r) => [r.reason, r.error, Buffer.from(r.payload).equals(bytes)])).toEqual([['undecodable', 'holds a NUL byte\\u0000 here', true]]);
    expect((await runner.checkpoints()).get('kafka:t:0')).toBe('5');
  });

  it('converts a TEXT payload column of an older database to BYTEA, keeping its rows', async () => {
    await sql.query(`CREATE TABLE projection_dead_letters (
      id BIGSERIAL PRIMARY KEY, projection TEXT NOT NULL, source TEXT NOT NULL, position TEXT NOT NULL, event_id TEXT,
      error TEXT NOT NULL, payload TEXT, recorded_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    await sql.query("INSERT INTO projection_dead_letters (projection, source, position, error, payload) VALUES ('escalation', 'feed', '1', 'old', 'héllo')");
    await new ProjectionRunner(sql, new NothingProjection(), { send: async () => undefined }).init();
    const rows = await sql.query<{ payload: Uint8Array; reason: string | null }>('SELECT payload, reason FROM projection_dead_letters');
    expect(rows.rows.map((r) => [Buffer.from(r.payload).toString('utf8'), r.reason])).toEqual([['héllo', null]]);
  });
});
