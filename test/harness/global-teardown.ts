import { rmSync } from 'node:fs';
import type { LocalPostgres } from './postgres-server';
import { stopLocalPostgres } from './postgres-server';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__aftersalesServers as
    | { pgliteTemplate?: string; postgres?: LocalPostgres }
    | undefined;
  if (started?.postgres) stopLocalPostgres(started.postgres);
  if (started?.pgliteTemplate) rmSync(started.pgliteTemplate, { recursive: true, force: true });
}
