/**
 * Finding the servers of a test run: PostgreSQL binaries from PG_BIN or Debian's layout, the Kafka brokers
 * from KAFKA_BROKERS, and whether the tools that start Kafka are installed.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KAFKA_DIR_ENV, canRunKafka, findPostgresBinaries, kafkaBrokers, ownKafkaDir } from '../src';

const saved = { ...process.env };
afterEach(() => {
  for (const name of ['PG_BIN', 'KAFKA_BROKERS', KAFKA_DIR_ENV]) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function binDir(tools: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-bin-'));
  for (const tool of tools) {
    writeFileSync(join(dir, tool), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, tool), 0o755);
  }
  return dir;
}

describe('findPostgresBinaries', () => {
  it('takes PG_BIN first when it holds initdb and pg_ctl', () => {
    process.env.PG_BIN = binDir(['initdb', 'pg_ctl']);
    expect(findPostgresBinaries()).toBe(process.env.PG_BIN);
  });

  it('passes over a PG_BIN that lacks one of them', () => {
    const incomplete = binDir(['initdb']);
    process.env.PG_BIN = incomplete;
    expect(findPostgresBinaries()).not.toBe(incomplete);
  });

  // Only where Debian's postgresql package is installed (it is wherever the test run starts its own server).
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .map(Number)
        .filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))
    : [];
  (debian.length ? it : it.skip)("finds the newest of Debian's versions", () => {
    delete process.env.PG_BIN;
    expect(findPostgresBinaries()).toBe(`/usr/lib/postgresql/${Math.max(...debian)}/bin`);
  });
});

describe('kafkaBrokers', () => {
  it('reads a comma-separated list, spaces trimmed', () => {
    process.env.KAFKA_BROKERS = '127.0.0.1:9092, kafka-2:9092 ,kafka-3:9092';
    expect(kafkaBrokers()).toEqual(['127.0.0.1:9092', 'kafka-2:9092', 'kafka-3:9092']);
  });

  it('answers nothing when KAFKA_BROKERS is unset or empty', () => {
    delete process.env.KAFKA_BROKERS;
    expect(kafkaBrokers()).toBeUndefined();
    process.env.KAFKA_BROKERS = '';
    expect(kafkaBrokers()).toBeUndefined();
  });

  it('names the directory of a broker this run started, and none otherwise', () => {
    delete process.env[KAFKA_DIR_ENV];
    expect(ownKafkaDir()).toBeUndefined();
    process.env[KAFKA_DIR_ENV] = '/tmp/kafka-of-this-run';
    expect(ownKafkaDir()).toBe('/tmp/kafka-of-this-run');
  });
});

describe('canRunKafka', () => {
  it('names the tool that is missing', () => {
    expect(canRunKafka({ PATH: binDir(['mvn']) })).toEqual({ ok: false, why: 'java is not installed' });
    expect(canRunKafka({ PATH: binDir(['java']) })).toEqual({ ok: false, why: 'mvn is not installed' });
  });

  it('is ready when java and mvn are both on the PATH', () => {
    expect(canRunKafka({ PATH: binDir(['java', 'mvn']) })).toEqual({ ok: true });
  });
});
