/** Stops the servers the global set-up started and removes the run's temporary folder with all it holds. */
import { rmSync } from 'node:fs';
import type { LocalPostgres } from '../../libs/local-servers/src';
import { stopLocalPostgres } from '../../libs/local-servers/src';
import { stopKafka } from '../../libs/local-servers/src';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__aftersalesServers as
    { pgliteTemplate?: string; postgres?: LocalPostgres; kafkaDir?: string; runTmp?: string } | undefined;
  if (started?.kafkaDir) {
    stopKafka(started.kafkaDir);
    rmSync(started.kafkaDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
  if (started?.postgres) stopLocalPostgres(started.postgres);
  if (started?.pgliteTemplate) rmSync(started.pgliteTemplate, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  if (started?.runTmp) rmSync(started.runTmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
