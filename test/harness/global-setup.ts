/**
 * Starts what the test run needs once: a PGlite template, a PostgreSQL server and a Kafka broker (each unless
 * given by TEST_DATABASE_URL / KAFKA_BROKERS). Every temporary folder of the run (the servers', the tests', the
 * processes' they start) lives under one folder of its own, set as TMPDIR, which the global teardown removes.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_TEMPLATE_ENV } from './pglite-template';
import { findPostgresBinaries, startLocalPostgres } from '../../libs/local-servers/src';
import { KAFKA_DIR_ENV, canRunKafka, startKafka } from '../../libs/local-servers/src';

export default async function globalSetup(): Promise<void> {
  const runTmp = mkdtempSync(join(tmpdir(), 'aftersales-test-run-'));
  chmodSync(runTmp, 0o711); // servers running as another user (PostgreSQL as `postgres` under root) reach their folders
  process.env.TMPDIR = runTmp;
  const template = mkdtempSync(join(tmpdir(), 'aftersales-pglite-template-'));
  const db = await PGlite.create(template);
  await db.close();
  process.env[PGLITE_TEMPLATE_ENV] = template;

  const started: Record<string, unknown> = { pgliteTemplate: template, runTmp };
  if (!process.env.TEST_DATABASE_URL) {
    const binDir = findPostgresBinaries();
    if (binDir) {
      const server = await startLocalPostgres(binDir);
      process.env.TEST_DATABASE_URL = server.url;
      process.env.TEST_POSTGRES_DATA_DIR = server.dataDir; // scanned by the erasure tests
      started.postgres = server;
    }
  }
  if (!process.env.KAFKA_BROKERS && canRunKafka().ok) {
    const dir = mkdtempSync(join(tmpdir(), 'aftersales-kafka-'));
    process.env.KAFKA_BROKERS = startKafka(dir);
    process.env[KAFKA_DIR_ENV] = dir;
    started.kafkaDir = dir;
  }
  (globalThis as Record<string, unknown>).__aftersalesServers = started;
}
