/**
 * The SQL event store's schema comes from ordered migrations, recorded in schema_migrations, on PGlite and on
 * PostgreSQL: a fresh database gets every migration once, however many processes open it together; a database
 * created before migrations were recorded is taken as it is (its unanchored streams anchored); a database
 * migrated by a newer release is refused.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlClient } from '@aftersales/sql-client';
import { MigrationError, PgliteSqlClient, PostgresSqlClient, migrate } from '@aftersales/sql-client';
import { SqlEventStore } from '../src';
import { APPEND_FUNCTION_DDL, EVENT_STORE_SCHEMA } from '../src/sql/event-store-schema';
import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS } from '../src/sql/event-store-migrations';
import { createTestDatabase, describeWithServer, postgresUrl } from '../../../test/harness/servers';

jest.setTimeout(60_000);

const recorded = async (sql: SqlClient) =>
  (
    await sql.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations WHERE component = $1 ORDER BY version', [
      EVENT_STORE_COMPONENT,
    ])
  ).rows.map((r) => `${r.version} ${r.name}`);
const EVERY_MIGRATION = EVENT_STORE_MIGRATIONS.map((m) => `${m.version} ${m.name}`);

describe('Event store migrations [PGlite]', () => {
  let sql: PgliteSqlClient;
  beforeEach(async () => {
    sql = await PgliteSqlClient.open(mkdtempSync(join(tmpdir(), 'migrations-')));
  });
  afterEach(() => sql.close());

  it('applies every migration to a fresh database once, and nothing on the next open', async () => {
    await SqlEventStore.open('pglite', sql);
    expect(await recorded(sql)).toEqual(EVERY_MIGRATION);
    expect(await migrate(sql, EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS)).toEqual([]);
    const store = await SqlEventStore.open('pglite', sql);
    await store.append(
      'case-1',
      [
        {
          eventId: '00000000-0000-4000-8000-000000000001',
          type: 'CaseNoted',
          schemaVersion: 1,
          data: {},
          metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: { type: 'agent', id: 'a' }, correlationId: 'c', causationId: 'c' },
        },
      ],
      'no_stream',
    );
    expect(await recorded(sql)).toEqual(EVERY_MIGRATION);
  });

  it('takes a database created before migrations were recorded as it is, anchoring its streams', async () => {
    await sql.applySchema(EVENT_STORE_SCHEMA);
    await sql.query(APPEND_FUNCTION_DDL);
    await sql.query("INSERT INTO streams (stream_id, revision, last_hash) VALUES ('case-old', 0, $1)", ['a'.repeat(64)]);
    await SqlEventStore.open('pglite', sql);
    expect(await recorded(sql)).toEqual(EVERY_MIGRATION);
    expect((await sql.query<{ stream_id: string }>('SELECT stream_id FROM anchors')).rows).toEqual([{ stream_id: 'case-old' }]);
  });

  it('refuses a database migrated by a newer release, and a migration renamed after it was applied', async () => {
    await SqlEventStore.open('pglite', sql);
    await sql.query("INSERT INTO schema_migrations (component, version, name) VALUES ($1, 99, 'from the future')", [EVENT_STORE_COMPONENT]);
    await expect(SqlEventStore.open('pglite', sql)).rejects.toThrow(
      new MigrationError("event-store: the database has migration 99 'from the future', which this release does not know"),
    );
    const renamed = EVENT_STORE_MIGRATIONS.map((m) => (m.version === 2 ? { ...m, name: 'renamed' } : m));
    await sql.query('DELETE FROM schema_migrations WHERE version = 99');
    await expect(migrate(sql, EVENT_STORE_COMPONENT, renamed)).rejects.toThrow("version 2 was applied as 'append function v3'");
  });

  it('refuses a list out of order', async () => {
    await expect(migrate(sql, 'x', [{ version: 2, name: 'second', statements: [] }])).rejects.toThrow("migration 'second' is version 2, expected 1");
  });
});

describeWithServer(
  'a PostgreSQL server',
  postgresUrl() !== undefined,
  "Install Debian's postgresql package (the test run starts a server from it) or set TEST_DATABASE_URL.",
  'Event store migrations [PostgreSQL]',
  () => {
    it('applies each migration once when processes open a fresh database together', async () => {
      const url = await createTestDatabase('migrations');
      const clients = await Promise.all([1, 2, 3].map(() => PostgresSqlClient.open(url)));
      try {
        await Promise.all(clients.map((sql) => SqlEventStore.open('postgres', sql)));
        expect(await recorded(clients[0])).toEqual(EVERY_MIGRATION);
      } finally {
        await Promise.all(clients.map((sql) => sql.close()));
      }
    });
  },
);
