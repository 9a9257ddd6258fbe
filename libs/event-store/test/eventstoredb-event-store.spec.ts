import { EventStoreDbEventStore } from '../src';
import { describeWithServer } from '../../../test/harness/servers';
import { eventStoreContract } from './event-store.contract';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

describeWithServer(
  'an EventStoreDB server',
  connectionString !== undefined,
  'Set EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false after `docker compose up eventstoredb`).',
  'EventStoreDB event store',
  () => {
    // Each run serves only its own streams (a random prefix), so the suite passes again and again on one server.
    eventStoreContract('EventStoreDB', (streamPrefix) => EventStoreDbEventStore.open(connectionString!, { streamPrefix }));
  },
  false,
);
