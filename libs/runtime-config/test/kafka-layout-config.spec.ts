/** The Kafka topic layout, the record limit and the readiness lag bound, read from the environment and validated. */
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../src';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('Kafka topic layout and readiness configuration', () => {
  it('defaults to what one local broker holds: 3 partitions, one replica, one in sync; lag bound 10,000; the broker decides the record limit', () => {
    const config = loadConfig({});
    expect(config.kafkaTopicLayout).toEqual({ partitions: 3, replicationFactor: 1, minInsyncReplicas: 1 });
    expect(config.readyMaxLag).toBe(10_000);
    expect(config.kafkaMaxRecordBytes).toBeUndefined();
    for (const name of ['KAFKA_PARTITIONS', 'KAFKA_REPLICATION_FACTOR', 'KAFKA_MIN_INSYNC_REPLICAS', 'KAFKA_MAX_RECORD_BYTES', 'READY_MAX_LAG']) {
      expect(CONFIG_VARIABLES).toContain(name);
    }
  });

  it('takes the production layout (3 replicas, 2 in sync) and derives min ISR from the replication factor when not given', () => {
    expect(loadConfig({ KAFKA_PARTITIONS: '12', KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' }).kafkaTopicLayout).toEqual({
      partitions: 12,
      replicationFactor: 3,
      minInsyncReplicas: 2,
    });
    expect(loadConfig({ KAFKA_REPLICATION_FACTOR: '3' }).kafkaTopicLayout.minInsyncReplicas).toBe(2);
    expect(loadConfig({ KAFKA_MAX_RECORD_BYTES: '2097152', READY_MAX_LAG: '500' })).toMatchObject({ kafkaMaxRecordBytes: 2_097_152, readyMaxLag: 500 });
  });

  it('names every bad value', () => {
    expect(
      problemsOf({
        KAFKA_PARTITIONS: '0',
        KAFKA_REPLICATION_FACTOR: 'three',
        KAFKA_MIN_INSYNC_REPLICAS: '-1',
        KAFKA_MAX_RECORD_BYTES: '12',
        READY_MAX_LAG: '1.5',
      }),
    ).toEqual([
      "KAFKA_PARTITIONS must be an integer from 1 to 10000, got '0'",
      "KAFKA_REPLICATION_FACTOR must be an integer from 1 to 32767, got 'three'",
      "KAFKA_MIN_INSYNC_REPLICAS must be an integer from 1 to 32767, got '-1'",
      "KAFKA_MAX_RECORD_BYTES must be an integer from 1024 to 1073741824, got '12'",
      "READY_MAX_LAG must be an integer from 1 to 1000000000, got '1.5'",
    ]);
    expect(problemsOf({ KAFKA_REPLICATION_FACTOR: '2', KAFKA_MIN_INSYNC_REPLICAS: '3' })).toEqual([
      'KAFKA_MIN_INSYNC_REPLICAS (3) must not be above KAFKA_REPLICATION_FACTOR (2), or no write could ever be acknowledged',
    ]);
  });
});
