/**
 * The API as the one owner of the embedded data directory: it takes DATA_DIR's ownership lock before PGlite opens
 * (a second API, or the CLI, finds it taken and is told who holds it), records its HTTP listener in the lock once
 * it listens (so that the CLI can work through it), and gives it up when storage closes. PostgreSQL and
 * EventStoreDB need no lock; DATA_DIR is still secured when the generated tokens are kept there.
 */
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { JsonLogger } from '@aftersales/observability';
import type { AppConfig } from '@aftersales/runtime-config';
import type { Storage } from '@aftersales/storage';
import { DATA_DIR_OWNED_EXIT_CODE, DataDirOwnedError, openStorage, secureDataDir, usesEmbeddedDataDir } from '@aftersales/storage';

/** Opens storage as the owner of DATA_DIR; stops the process with exit code 75, naming the owner, if it is taken. */
export async function openStorageAsOwner(config: AppConfig, logger: JsonLogger): Promise<Storage> {
  if (!usesEmbeddedDataDir(config) && !config.authTokens) secureDataDir(config.dataDir, logger);
  try {
    return await openStorage(config, {
      command: 'api',
      log: logger,
      onLost: (owner) => {
        logger.event('error', 'another process holds the data directory; stopping', { dataDir: config.dataDir, owner });
        process.exit(DATA_DIR_OWNED_EXIT_CODE);
      },
    });
  } catch (error) {
    if (!(error instanceof DataDirOwnedError)) throw error;
    logger.event('error', 'the data directory is in use', { dataDir: config.dataDir, owner: error.owner });
    process.stderr.write(`cannot start: ${error.message}. Stop that process first, or give this one another DATA_DIR.\n`);
    process.exit(DATA_DIR_OWNED_EXIT_CODE);
  }
}

/** Writes the listener's address into DATA_DIR's lock (embedded default only). */
export function advertiseListener(storage: Storage, app: INestApplication, url: string, logger: JsonLogger): void {
  if (!storage.dataDirLock) return;
  const address = app.getHttpServer().address() as AddressInfo | null;
  const port = address?.port ?? Number(new URL(url).port);
  const advertised = `${new URL(url).protocol}//${new URL(url).hostname}:${port}`;
  storage.dataDirLock.advertise({ port, url: advertised });
  logger.event('info', 'data directory owned', { dataDir: storage.dataDirLock.dataDir, pid: process.pid, url: advertised });
}
