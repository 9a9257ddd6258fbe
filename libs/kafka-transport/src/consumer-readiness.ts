/**
 * The readiness check of this process's Kafka consumers (each projector group, the order intake): down, naming
 * the consumer, while one is not running (starting, restarting after a crash, stopped) or its group lags more than
 * `maxLag` records behind the partitions' high watermarks. The lag is read from the broker; when the broker does
 * not answer, the lag is unknown and the `kafka` check says so.
 */
import type { ConsumerStatus } from './supervised-consumer';

export interface WatchedConsumer {
  groupId: string;
  status(): ConsumerStatus;
}

export function consumersReadiness(
  consumers: WatchedConsumer[],
  lagByGroup: () => Promise<Map<string, number>>,
  maxLag: number,
): () => Promise<Record<string, unknown>> {
  return async () => {
    const lags = await lagByGroup().catch(() => undefined);
    const notReady: string[] = [];
    const details: Record<string, unknown> = {};
    for (const consumer of consumers) {
      const status = consumer.status();
      const lag = lags?.get(consumer.groupId);
      if (status.state !== 'running') notReady.push(`${consumer.groupId} is ${status.state}${status.lastError ? ` (last error: ${status.lastError})` : ''}`);
      else if (lag !== undefined && lag > maxLag) notReady.push(`${consumer.groupId} lags ${lag} records (READY_MAX_LAG ${maxLag})`);
      details[consumer.groupId] = {
        state: status.state,
        since: status.since,
        ...(lag !== undefined ? { lag } : {}),
        restarts: status.restarts,
        ...(status.lastError ? { lastError: status.lastError, lastErrorAt: status.lastErrorAt } : {}),
      };
    }
    return { status: notReady.length ? 'down' : 'up', ...(notReady.length ? { error: notReady.join('; ') } : {}), maxLag, consumers: details };
  };
}
