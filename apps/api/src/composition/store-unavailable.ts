/**
 * A clear start-up error when a server the configuration names does not answer: which store, where (credentials
 * masked), the cause, and what to check — instead of a driver's stack trace. Exit code 69 (EX_UNAVAILABLE).
 */
import type { AppConfig } from '@aftersales/runtime-config';

export const STORE_UNAVAILABLE_EXIT_CODE = 69;

/** The URL without its password. */
export function maskedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** What failed to open, in one message a newcomer can act on. */
export function storeUnavailableMessage(config: AppConfig, error: Error): string {
  const cause = causeOf(error);
  if (config.eventStore.kind === 'eventstoredb') {
    return (
      `cannot start: EventStoreDB at ${maskedUrl(config.eventStore.connectionString)} did not answer (${cause}). ` +
      'Is it running and reachable (EVENTSTORE_CONNECTION_STRING; `docker compose up -d eventstoredb`)?' +
      (config.databaseUrl ? ` The read models use PostgreSQL at ${maskedUrl(config.databaseUrl)} (DATABASE_URL).` : '')
    );
  }
  if (config.eventStore.kind === 'postgres') {
    return (
      `cannot start: PostgreSQL at ${maskedUrl(config.eventStore.connectionString)} did not answer (${cause}). ` +
      'Is the server running, and are the host, port, database and credentials in DATABASE_URL right?'
    );
  }
  return `cannot start: the embedded store in ${config.dataDir} could not be opened (${cause}).`;
}

/** The Kafka brokers named by KAFKA_BROKERS did not answer the start-up probe. */
export function kafkaUnavailableMessage(brokers: readonly string[], error: Error): string {
  const cause = causeOf(error);
  return (
    `cannot start: Kafka at ${brokers.join(',')} did not answer (${cause}). ` +
    'Is the broker running and reachable from here (KAFKA_BROKERS; `docker compose up -d kafka`)? ' +
    'Unset KAFKA_BROKERS to run with the store feed instead of Kafka.'
  );
}

/** The error's code and message, the code once (gRPC messages already start with theirs). */
function causeOf(error: Error): string {
  const code = (error as { code?: unknown }).code;
  const prefix = code === undefined || code === null || error.message.startsWith(String(code)) ? '' : `${String(code)} `;
  return `${prefix}${error.message}`;
}
