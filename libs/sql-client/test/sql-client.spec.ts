/**
 * The SqlClient contract on both adapters: PGlite in-process and the real PostgreSQL server. Parameters, the
 * last result of a multi-statement script, commit and rollback, DDL applied by many at once, BIGINT as text.
 */
import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../src';
import { PgliteSqlClient, PostgresSqlClient } from '../src';
import { freshPgliteDir } from '../../../test/harness/pglite-template';
import { createTestDatabase, describeWithServer, postgresUrl } from '../../../test/harness/servers';

function contract(open: () => Promise<SqlClient>): void {
  let sql: SqlClient;
  let table: string;
  beforeAll(async () => {
    sql = await open();
  });
  afterAll(async () => sql.close());
  beforeEach(async () => {
    table = `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await sql.applySchema(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, n BIGINT NOT NULL)`);
  });

  const rows = async () => (await sql.query<{ id: string; n: string }>(`SELECT id, n FROM ${table} ORDER BY id`)).rows;

  it('binds parameters and answers the rows', async () => {
    await sql.query(`INSERT INTO ${table} (id, n) VALUES ($1, $2), ($3, $4)`, ['a', 1, "b'; DROP TABLE x; --", 2]);
    expect((await sql.query<{ id: string }>(`SELECT id FROM ${table} WHERE id = $1`, ["b'; DROP TABLE x; --"])).rows).toEqual([{ id: "b'; DROP TABLE x; --" }]);
  });

  it('answers the rows of the last statement of a script', async () => {
    const result = await sql.query<{ id: string }>(
      `INSERT INTO ${table} (id, n) VALUES ('x', 1); INSERT INTO ${table} (id, n) VALUES ('y', 2); SELECT id FROM ${table} ORDER BY id`,
    );
    expect(result.rows).toEqual([{ id: 'x' }, { id: 'y' }]);
  });

  it('keeps a BIGINT beyond 2^53 exact, as text', async () => {
    await sql.query(`INSERT INTO ${table} (id, n) VALUES ($1, $2)`, ['big', '9007199254740993']);
    expect(String((await rows())[0].n)).toBe('9007199254740993');
  });

  it('commits a transaction that resolves, with its answer', async () => {
    const answer = await sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${table} (id, n) VALUES ($1, $2)`, ['kept', 1]);
      return (await tx.query<{ c: number }>(`SELECT count(*)::int AS c FROM ${table}`)).rows[0].c;
    });
    expect(answer).toBe(1);
    expect((await rows()).map((r) => r.id)).toEqual(['kept']);
  });

  it('rolls back everything a transaction wrote when it throws, and passes the error on', async () => {
    const failure = sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${table} (id, n) VALUES ($1, $2)`, ['lost', 1]);
      await tx.query(`INSERT INTO ${table} (id, n) VALUES ($1, $2)`, ['lost', 2]); // duplicate key
    });
    await expect(failure).rejects.toThrow(/duplicate key/);
    expect(await rows()).toEqual([]);
    await sql.query(`INSERT INTO ${table} (id, n) VALUES ($1, $2)`, ['after', 1]); // the client is usable again
    expect((await rows()).map((r) => r.id)).toEqual(['after']);
  });

  it('applies the same DDL from many callers at once without an error', async () => {
    const ddl = `CREATE TABLE IF NOT EXISTS ${table}_x (id TEXT PRIMARY KEY); CREATE INDEX IF NOT EXISTS ${table}_x_idx ON ${table}_x (id)`;
    await Promise.all(Array.from({ length: 6 }, () => sql.applySchema(ddl)));
    expect((await sql.query(`SELECT * FROM ${table}_x`)).rows).toEqual([]);
  });
}

describe('PgliteSqlClient', () => contract(() => PgliteSqlClient.open(freshPgliteDir())));

describe('PgliteSqlClient in memory', () => {
  it('keeps nothing between two opens', async () => {
    const first = await PgliteSqlClient.open();
    await first.query('CREATE TABLE kept (id INT)');
    await first.close();
    await first.close(); // closing twice is harmless
    const second = await PgliteSqlClient.open();
    await expect(second.query('SELECT * FROM kept')).rejects.toThrow(/does not exist/);
    await second.close();
  });
});

describeWithServer(
  'a PostgreSQL server',
  postgresUrl() !== undefined,
  "Install Debian's postgresql package (the test run starts a server from it) or set TEST_DATABASE_URL.",
  'PostgresSqlClient',
  () => {
    contract(async () => PostgresSqlClient.open(await createTestDatabase('sqlclient'), 4));

    it('keeps its connection after a statement the server refused, inside a transaction or not', async () => {
      const sql = await PostgresSqlClient.open(await createTestDatabase('sqlclient_keep'), 1);
      try {
        const pid = async () => (await sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        const before = await pid();
        await expect(sql.query('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
        await expect(sql.transaction((tx) => tx.query('SELECT * FROM no_such_table'))).rejects.toThrow(/no_such_table/);
        expect(await pid()).toBe(before);
      } finally {
        await sql.close();
      }
    });

    it('closes a connection the server ended, and answers on a new one', async () => {
      const sql = await PostgresSqlClient.open(await createTestDatabase('sqlclient_lost'), 1);
      try {
        const before = (await sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        await expect(sql.query('SELECT pg_terminate_backend(pg_backend_pid())')).rejects.toThrow();
        const after = (await sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        expect(after).not.toBe(before);
      } finally {
        await sql.close();
      }
    });

    it('refuses to open on a server that does not answer', async () => {
      await expect(PostgresSqlClient.open('postgres://nobody@127.0.0.1:1/none')).rejects.toThrow();
    });
  },
);
