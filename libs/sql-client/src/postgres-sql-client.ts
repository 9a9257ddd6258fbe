/** SqlClient over a PostgreSQL server through a node-postgres pool. */
import { Pool, types } from 'pg';
import type { SqlClient, SqlQueryable } from './sql-client';

// BIGINT (global positions) stays a string rather than losing precision as a JS number.
types.setTypeParser(types.builtins.INT8, (value: string) => value);

/** Advisory lock key taken while DDL is applied (any fixed 64-bit number no other lock of ours uses). */
const SCHEMA_LOCK = 7_263_001_554;

export class PostgresSqlClient implements SqlClient {
  private constructor(readonly pool: Pool) {}

  static async open(connectionString: string, maxConnections = 10): Promise<PostgresSqlClient> {
    // A server that does not answer fails the request in 5 s (a retryable 503) rather than holding it for ever.
    const pool = new Pool({ connectionString, max: maxConnections, connectionTimeoutMillis: 5_000 });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it on the next query.
    });
    const client = new PostgresSqlClient(pool);
    await client.query('SELECT 1');
    return client;
  }

  async query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }> {
    const result = await this.pool.query(sql, params);
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return { rows: (last?.rows ?? []) as R[] };
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection lost while checked out is reported both to the query under way and as an 'error' event;
    // without a listener that event would end the process. The query's rejection is what the caller handles.
    let lost: Error | undefined;
    const onLost = (error: Error) => (lost = error);
    client.on('error', onLost);
    try {
      await client.query('BEGIN');
      const value = await work({
        query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as R[] }),
      });
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackFailed: Error) => (lost ??= rollbackFailed));
      throw error;
    } finally {
      client.off('error', onLost);
      client.release(lost); // a broken connection is closed, not handed to the next caller
    }
  }

  /** One transaction holding an advisory lock all processes share, so concurrent start-ups apply DDL in turn. */
  async applySchema(ddl: string): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
      await tx.query(ddl);
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
