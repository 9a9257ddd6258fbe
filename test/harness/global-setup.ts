/** Starts what the test run needs once: a PGlite template, and a PostgreSQL server unless one is given. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_TEMPLATE_ENV } from './pglite-template';
import { findPostgresBinaries, startLocalPostgres } from './postgres-server';


export default async function globalSetup(): Promise<void> {
  const template = mkdtempSync(join(tmpdir(), 'aftersales-pglite-template-'));
  const db = await PGlite.create(template);
  await db.close();
  process.env[PGLITE_TEMPLATE_ENV] = template;

  const started: Record<string, unknown> = { pgliteTemplate: template };
  if (!process.env.TEST_DATABASE_URL) {
    const binDir = findPostgresBinaries();
    if (binDir) {
      const server = await startLocalPostgres(binDir);
      process.env.TEST_DATABASE_URL = server.url;
      started.postgres = server;
    }
  }
  (globalThis as Record<string, unknown>).__aftersalesServers = started;
}
