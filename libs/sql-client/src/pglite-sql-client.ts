/** SqlClient over PGlite (Postgres in WASM, one connection, a data directory on disk). */
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlQueryable } from './sql-client';

export class PgliteSqlClient implements SqlClient {
  private constructor(readonly db: PGlite) {}

  /** `dataDir` undefined keeps the database in memory (tests only). */
  static async open(dataDir?: string): Promise<PgliteSqlClient> {
    const db = await PGlite.create(dataDir);
    return new PgliteSqlClient(db);
  }

  async query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }> {
    if (params && params.length) return this.db.query<R>(sql, params);
    const results = await this.db.exec(sql);
    return { rows: (results[results.length - 1]?.rows ?? []) as R[] };
  }

  /** One process owns a PGlite database, so there is no one to race. */
  async applySchema(ddl: string): Promise<void> {
    await this.db.exec(ddl);
  }

  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      work({
        query: async <R>(sql: string, params?: unknown[]) => tx.query<R>(sql, params ?? []),
      }),
    );
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
