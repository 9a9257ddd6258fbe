/** The little SQL surface the event store needs, met by both PGlite and node-postgres. */

export interface SqlQueryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export interface SqlClient extends SqlQueryable {
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * Runs idempotent DDL (CREATE … IF NOT EXISTS, CREATE OR REPLACE) so that processes starting together on one
   * empty database do not trip over each other: PostgreSQL's IF NOT EXISTS is not safe under concurrency.
   */
  applySchema(ddl: string): Promise<void>;
  close(): Promise<void>;
}
