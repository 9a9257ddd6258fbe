/**
 * Opens the event store and the read-model database the configuration names. On the embedded default both
 * live in one PGlite instance in DATA_DIR, which has one owner at a time: the directory is secured (0700) and its
 * ownership lock taken before PGlite opens it, and released after PGlite closes. On PostgreSQL they share one pool
 * and no lock is needed (the server arbitrates between processes).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@aftersales/event-store';
import { EventStoreDbEventStore, SqlEventStore } from '@aftersales/event-store';
import type { AppConfig } from '@aftersales/runtime-config';
import type { SqlClient } from '@aftersales/sql-client';
import { PgliteSqlClient, PostgresSqlClient } from '@aftersales/sql-client';
import type { DataDirOwner, LockLog } from './data-dir-lock';
import { DataDirLock } from './data-dir-lock';
import { makePrivate, secureDataDir } from './data-dir-permissions';

export interface Storage {
  eventStore: EventStore;
  readModels: SqlClient;
  readModelKind: 'pglite' | 'postgres';
  /** The ownership lock of DATA_DIR, held while the embedded database is open. */
  dataDirLock?: DataDirLock;
  close(): Promise<void>;
}

export interface StorageOwner {
  /** What takes the data directory (`api`, `aftersales rebuild`): named to whoever finds it taken. */
  command: string;
  log?: LockLog;
  /** Called if another process is found holding the directory while this one has it open. */
  onLost?: (owner: DataDirOwner | undefined) => void;
}

/** Whether this configuration opens the embedded PGlite database in DATA_DIR. */
export function usesEmbeddedDataDir(config: AppConfig): boolean {
  return config.eventStore.kind === 'pglite' || (config.eventStore.kind === 'eventstoredb' && !config.databaseUrl);
}

async function openPglite(config: AppConfig, owner: StorageOwner): Promise<{ sql: PgliteSqlClient; lock: DataDirLock }> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const lock = await DataDirLock.acquire(config.dataDir, owner);
  try {
    secureDataDir(config.dataDir, owner.log);
    const pgliteDir = join(config.dataDir, 'pglite');
    const sql = await PgliteSqlClient.open(pgliteDir);
    const loosened = makePrivate(pgliteDir);
    if (loosened) owner.log?.event('info', "made PGlite's files private (0600)", { dataDir: config.dataDir, files: loosened });
    return { sql, lock };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Opens the configured stores; on the embedded default throws DataDirOwnedError if another process owns DATA_DIR. */
export async function openStorage(config: AppConfig, owner: StorageOwner = { command: 'aftersales' }): Promise<Storage> {
  if (config.eventStore.kind === 'eventstoredb') {
    const eventStore = await EventStoreDbEventStore.open(config.eventStore.connectionString);
    const embedded = config.databaseUrl ? undefined : await openPglite(config, owner);
    const readModels: SqlClient = embedded ? embedded.sql : await PostgresSqlClient.open(config.databaseUrl!);
    return {
      eventStore,
      readModels,
      readModelKind: embedded ? 'pglite' : 'postgres',
      dataDirLock: embedded?.lock,
      close: async () => {
        try {
          await eventStore.close();
          await readModels.close();
        } finally {
          embedded?.lock.release();
        }
      },
    };
  }
  const selection = config.eventStore;
  const embedded = selection.kind === 'pglite' ? await openPglite(config, owner) : undefined;
  const sql: SqlClient = embedded ? embedded.sql : await PostgresSqlClient.open((selection as { connectionString: string }).connectionString);
  const kind = config.eventStore.kind;
  return {
    eventStore: await SqlEventStore.open(kind, sql),
    readModels: sql,
    readModelKind: kind,
    dataDirLock: embedded?.lock,
    close: async () => {
      try {
        await sql.close();
      } finally {
        embedded?.lock.release();
      }
    },
  };
}
