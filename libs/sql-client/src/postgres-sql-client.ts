/** SqlClient over a PostgreSQL server through a node-postgres pool. */
import { DatabaseError, Pool, types } from 'pg';
import type { PoolClient } from 'pg';
import type { SqlClient, SqlQueryable } from './sql-client';

// BIGINT (global positions) stays a string rather than losing precision as a JS number.
types.setTypeParser(types.builtins.INT8, (value: string) => value);

/** Advisory lock key taken while DDL is applied (any fixed 64-bit number no other lock of ours uses). */
const SCHEMA_LOCK = 7_263_001_554;

/** The server refused one statement (severity ERROR) and the session goes on; FATAL and PANIC end the session. */
function refusedStatement(error: unknown): boolean {
  return error instanceof DatabaseError && error.severity === 'ERROR';
}

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
    return this.withClient(async (client) => {
      const result = await client.query(sql, params);
      const last = Array.isArray(result) ? (result as Array<{ rows: unknown[] }>)[result.length - 1] : result;
      return { rows: (last?.rows ?? []) as R[] };
    });
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.withClient(async (client, markBroken) => {
      await client.query('BEGIN');
      try {
        const value = await work({
          query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as R[] }),
        });
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(markBroken); // the caller learns the first failure, not the rollback's
        throw error;
      }
    });
  }

  /**
   * A pooled connection for `work`, handed back afterwards. A statement the server refused (severity ERROR: a
   * missing table, a violated constraint) leaves the connection usable, so it goes back to the pool; anything else
   * (the connection lost, a protocol error) closes it rather than handing it to the next caller. (pg-pool's own
   * `pool.query` closes the connection after every failed statement, which turned each refused lookup into a
   * reconnect.)
   */
  private async withClient<T>(work: (client: PoolClient, markBroken: (error: Error) => void) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection lost while checked out is reported both to the query under way and as an 'error' event;
    // without a listener that event would end the process. The query's rejection is what the caller handles.
    let broken: Error | undefined;
    const onLost = (error: Error) => (broken ??= error);
    client.on('error', onLost);
    try {
      return await work(client, onLost);
    } catch (error) {
      if (!refusedStatement(error)) broken ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.off('error', onLost);
      client.release(broken);
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
