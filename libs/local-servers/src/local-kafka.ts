/**
 * The real Kafka broker of the test run: started from deploy/kafka/kafka.sh (jars from Maven Central, KRaft,
 * loopback) when KAFKA_BROKERS is not given, and stopped at the end. Fault tests kill and restart it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** deploy/kafka/kafka.sh, found from the source tree or from dist/. */
const SCRIPT = [join(__dirname, '..', '..', '..', 'deploy', 'kafka', 'kafka.sh'), join(__dirname, '..', '..', '..', '..', 'deploy', 'kafka', 'kafka.sh')].find(
  (p) => existsSync(p),
)!;

export const KAFKA_DIR_ENV = 'AFTERSALES_TEST_KAFKA_DIR';

export function kafkaBrokers(): string[] | undefined {
  const raw = process.env.KAFKA_BROKERS;
  return raw ? raw.split(',').map((b) => b.trim()) : undefined;
}

/** Whether java and mvn are on the PATH of `env` (the process's own by default). */
export function canRunKafka(env: NodeJS.ProcessEnv = process.env): { ok: boolean; why?: string } {
  for (const tool of ['java', 'mvn']) {
    if (spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { env }).status !== 0) return { ok: false, why: `${tool} is not installed` };
  }
  return { ok: true };
}

export function startKafka(dir: string): string {
  return execFileSync('bash', [SCRIPT, 'start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 })
    .trim()
    .split('\n')
    .pop()!;
}

export function stopKafka(dir: string): void {
  spawnSync('bash', [SCRIPT, 'stop', dir], { stdio: 'inherit', timeout: 60_000 });
}

/** The broker this run started itself, if any (fault tests can only restart that one). */
export function ownKafkaDir(): string | undefined {
  return process.env[KAFKA_DIR_ENV];
}

export function killKafka(dir: string): void {
  execFileSync('bash', [SCRIPT, 'kill', dir], { stdio: 'inherit', timeout: 60_000 });
}

export function restartKafka(dir: string): void {
  execFileSync('bash', [SCRIPT, 'restart', dir], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
}
