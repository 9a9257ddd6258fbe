/**
 * Ordered schema migrations on any SqlClient — PostgreSQL through node-postgres and PGlite in-process alike.
 * A component lists its migrations once, in order (`version` 1, 2, 3 …); `migrate` records each applied one
 * in `schema_migrations` and applies only those not recorded, each in one transaction together with its row,
 * under a transaction-scoped advisory lock on the component, so processes starting together on one database
 * apply each migration exactly once. A database that records a migration this code does not know (written by
 * a newer release), or under another name, is refused rather than guessed at.
 *
 * Why not node-pg-migrate (or another runner): they open their own node-postgres connection from a URL; the
 * embedded default is PGlite in this process, which has no connection to give them. The runner is this file.
 */
import type { SqlClient } from './sql-client';

export interface Migration {
  version: number;
  name: string;
  /** Run in order in one transaction; each one statement (a function body is one statement). */
  statements: readonly string[];
}

export class MigrationError extends Error {}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  component  TEXT        NOT NULL,
  version    INTEGER     NOT NULL,
  name       TEXT        NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (component, version)
)`;

/** Splits plain DDL (no function bodies) at the semicolons that end its lines. */
export function ddlStatements(ddl: string): string[] {
  return ddl
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}

function checkOrder(component: string, migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`${component}: migration '${m.name}' is version ${m.version}, expected ${i + 1}`);
  });
}

/** Applies the migrations of `component` the database has not recorded; answers the names applied now. */
export async function migrate(sql: SqlClient, component: string, migrations: readonly Migration[]): Promise<string[]> {
  checkOrder(component, migrations);
  await sql.applySchema(MIGRATIONS_TABLE);
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`schema_migrations:${component}`]);
      const recorded = await tx.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations WHERE component = $1 ORDER BY version', [
        component,
      ]);
      const known = recorded.rows.find((r) => Number(r.version) === migration.version);
      if (known && known.name !== migration.name) {
        throw new MigrationError(`${component}: version ${migration.version} was applied as '${known.name}', this release calls it '${migration.name}'`);
      }
      const newer = recorded.rows.find((r) => Number(r.version) > migrations.length);
      if (newer) throw new MigrationError(`${component}: the database has migration ${newer.version} '${newer.name}', which this release does not know`);
      if (known) return false;
      for (const statement of migration.statements) await tx.query(statement, []);
      await tx.query('INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)', [component, migration.version, migration.name]);
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return applied;
}
