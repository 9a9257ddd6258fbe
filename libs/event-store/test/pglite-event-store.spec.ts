import { PgliteSqlClient } from '@aftersales/sql-client';
import { SqlEventStore } from '../src';
import { freshPgliteDir } from '../../../test/harness/pglite-template';
import { eventStoreContract } from './event-store.contract';

eventStoreContract('PGlite (embedded default)', async () =>
  SqlEventStore.open('pglite', await PgliteSqlClient.open(freshPgliteDir())),
);
