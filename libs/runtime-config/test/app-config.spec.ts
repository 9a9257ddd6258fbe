import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_VARIABLES, ConfigError, PROJECTION_NAMES, loadConfig } from '../src';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('Configuration from the environment', () => {
  it('defaults to the embedded store in ./data on port 3000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.eventStore).toEqual({ kind: 'pglite', dataDir: join(process.cwd(), 'data', 'pglite') });
    expect(config.authTokens).toBeUndefined();
    expect(config.slaPolicy.id).toBe('default');
  });

  it('selects PostgreSQL with DATABASE_URL and EventStoreDB with EVENTSTORE_CONNECTION_STRING', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).eventStore.kind).toBe('postgres');
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', EVENTSTORE_CONNECTION_STRING: 'esdb://h:2113?tls=false' }).eventStore.kind).toBe('eventstoredb');
  });

  it('parses AUTH_TOKENS and KAFKA_BROKERS', () => {
    const config = loadConfig({
      AUTH_TOKENS: 'agent=agent-token-0123456789,service=service-token-0123456789',
      KAFKA_BROKERS: 'localhost:9092, kafka-2:9092',
    });
    expect(config.authTokens).toEqual([
      { role: 'agent', token: 'agent-token-0123456789' },
      { role: 'service', token: 'service-token-0123456789' },
    ]);
    expect(config.kafkaBrokers).toEqual(['localhost:9092', 'kafka-2:9092']);
    expect([config.kafkaTopicSuffix, config.kafkaGroupPrefix]).toEqual(['', 'aftersales']);
    const shared = loadConfig({ KAFKA_TOPIC_SUFFIX: '.staging', KAFKA_GROUP_PREFIX: 'staging-aftersales' });
    expect([shared.kafkaTopicSuffix, shared.kafkaGroupPrefix]).toEqual(['.staging', 'staging-aftersales']);
    expect(problemsOf({ KAFKA_TOPIC_SUFFIX: 'a b', KAFKA_GROUP_PREFIX: 'x/y' })).toEqual([
      "KAFKA_TOPIC_SUFFIX must be up to 60 of A-Z a-z 0-9 . _ -, got 'a b'",
      "KAFKA_GROUP_PREFIX must be 1 to 60 of A-Z a-z 0-9 . _ -, got 'x/y'",
    ]);
  });

  it('writes CloudEvents in structured mode by default; KAFKA_CLOUDEVENTS_MODE=binary writes ce_ headers, anything else is refused', () => {
    expect(loadConfig({}).kafkaCloudEventsMode).toBe('structured');
    expect(loadConfig({ KAFKA_CLOUDEVENTS_MODE: 'binary' }).kafkaCloudEventsMode).toBe('binary');
    expect(problemsOf({ KAFKA_CLOUDEVENTS_MODE: 'batched' })).toEqual(["KAFKA_CLOUDEVENTS_MODE must be one of structured, binary, got 'batched'"]);
  });

  it('limits each principal to 50 requests per second by default (burst 100), configurable, 0 turning it off', () => {
    expect(loadConfig({}).rateLimit).toEqual({ perSecond: 50, burst: 100 });
    expect(loadConfig({ RATE_LIMIT_PER_SECOND: '0' }).rateLimit.perSecond).toBe(0);
    expect(loadConfig({ RATE_LIMIT_PER_SECOND: '50', RATE_LIMIT_BURST: '60' }).rateLimit).toEqual({ perSecond: 50, burst: 60 });
    expect(problemsOf({ RATE_LIMIT_PER_SECOND: 'lots', RATE_LIMIT_BURST: '0' })).toEqual([
      "RATE_LIMIT_PER_SECOND must be a number ≥ 0, got 'lots'",
      "RATE_LIMIT_BURST must be a number ≥ 1, got '0'",
    ]);
  });

  it('keeps /metrics behind a token unless METRICS_PUBLIC=true, and accepts a metrics-only token in AUTH_TOKENS', () => {
    expect(loadConfig({}).metricsPublic).toBe(false);
    expect(loadConfig({ METRICS_PUBLIC: 'true' }).metricsPublic).toBe(true);
    expect(loadConfig({ METRICS_PUBLIC: 'false' }).metricsPublic).toBe(false);
    expect(loadConfig({ AUTH_TOKENS: 'metrics=metrics-token-0123456789' }).authTokens).toEqual([{ role: 'metrics', token: 'metrics-token-0123456789' }]);
    expect(problemsOf({ METRICS_PUBLIC: 'yes please' })).toEqual(["METRICS_PUBLIC must be true or false, got 'yes please'"]);
  });

  it('bounds money amounts by MAX_AMOUNT, 1,000,000,000 by default, a finite positive number', () => {
    expect(loadConfig({}).maxAmount).toBe(1_000_000_000);
    expect(loadConfig({ MAX_AMOUNT: '25000.50' }).maxAmount).toBe(25000.5);
    expect(problemsOf({ MAX_AMOUNT: '1e308' })).toEqual(["MAX_AMOUNT must be a number above 0 and at most 90000000000000, got '1e308'"]);
    expect(problemsOf({ MAX_AMOUNT: '-5' })).toEqual(["MAX_AMOUNT must be a number above 0 and at most 90000000000000, got '-5'"]);
    expect(problemsOf({ MAX_AMOUNT: 'Infinity' })).toEqual(["MAX_AMOUNT must be a number above 0 and at most 90000000000000, got 'Infinity'"]);
  });

  it('runs every background worker by default; WORKERS picks some, one view at a time, or none', () => {
    expect(loadConfig({}).workers).toEqual({ relay: true, projections: [...PROJECTION_NAMES], orderIntake: true, slaWatch: true });
    expect(loadConfig({ WORKERS: 'none' }).workers).toEqual({ relay: false, projections: [], orderIntake: false, slaWatch: false });
    expect(loadConfig({ WORKERS: 'relay, sla-watch' }).workers).toEqual({ relay: true, projections: [], orderIntake: false, slaWatch: true });
    expect(loadConfig({ WORKERS: 'loyalty,order-intake' }).workers).toEqual({ relay: false, projections: ['loyalty'], orderIntake: true, slaWatch: false });
    expect(loadConfig({ WORKERS: 'projectors' }).workers.projections).toEqual([...PROJECTION_NAMES]);
    expect(PROJECTION_NAMES).toEqual(expect.arrayContaining(['escalation', 'satisfaction', 'loyalty', 'early-warning']));
    expect(problemsOf({ WORKERS: 'relay,projector,loyality' })).toEqual([
      `WORKERS entries 'projector', 'loyality' unknown; use all, none, or a list of relay, projectors, ${PROJECTION_NAMES.join(', ')}, order-intake, sla-watch`,
    ]);
  });

  it('reads exactly the variables it documents in CONFIG_VARIABLES (the deploy files are checked against that list)', () => {
    const read = new Set<string>();
    const env = new Proxy(
      {},
      {
        get: (_, key) => {
          if (typeof key === 'string') read.add(key);
          return undefined;
        },
      },
    );
    loadConfig(env);
    expect([...read].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('reports every bad variable at once, by name', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      AUTH_TOKENS: 'boss=abcdefghijklmnopqrstuvwxyz,agent=short',
      DATABASE_URL: 'mysql://h/db',
      KAFKA_BROKERS: 'no-port',
      LOG_LEVEL: 'loud',
    });
    expect(problems).toEqual([
      "PORT must be an integer from 0 to 65535, got 'eighty'",
      "AUTH_TOKENS entry 'boss' must be role=token with a role of service, agent, analyst, auditor, admin, metrics",
      "AUTH_TOKENS token for role 'agent' must be at least 16 characters with no spaces",
      "DATABASE_URL must use postgres:// or postgresql://, got 'mysql://'",
      "KAFKA_BROKERS entry 'no-port' must be host:port",
      "LOG_LEVEL must be one of debug, info, warn, error, got 'loud'",
    ]);
  });

  it('loads an SLA policy file and refuses a broken one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-'));
    const good = join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        id: 'retail-2026',
        version: 3,
        targets: {
          URGENT: { firstResponseMinutes: 30, resolutionMinutes: 600 },
          HIGH: { firstResponseMinutes: 120, resolutionMinutes: 1440 },
          NORMAL: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
          LOW: { firstResponseMinutes: 1440, resolutionMinutes: 5760 },
        },
        tierFactors: { STANDARD: 1, SILVER: 0.8, GOLD: 0.5, PLATINUM: 0.5 },
        warningRatio: 0.8,
      }),
    );
    expect(loadConfig({ SLA_POLICY_FILE: good }).slaPolicy).toMatchObject({ id: 'retail-2026', version: 3 });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"id":"x"}');
    expect(problemsOf({ SLA_POLICY_FILE: bad })[0]).toContain('version must be a positive integer');
  });

  it('takes FINGERPRINT_SECRET when it is at least 32 characters without spaces, and generates one when unset', () => {
    expect(loadConfig({}).fingerprintSecret).toBeUndefined();
    expect(loadConfig({ FINGERPRINT_SECRET: 'k'.repeat(32) }).fingerprintSecret).toBe('k'.repeat(32));
    const problem = 'FINGERPRINT_SECRET must be at least 32 characters with no spaces (e.g. `openssl rand -base64 32`)';
    expect(problemsOf({ FINGERPRINT_SECRET: 'too-short' })).toEqual([problem]);
    expect(problemsOf({ FINGERPRINT_SECRET: `${'k'.repeat(32)} x` })).toEqual([problem]);
  });

  it('reads the early-warning thresholds (spike 3× and 5 cases by default) and refuses bad ones by name', () => {
    expect(loadConfig({}).earlyWarning).toEqual({
      thresholds: {
        spikeFactor: 3,
        spikeMinCases: 5,
        sentimentFactor: 1.5,
        sentimentMinShare: 0.5,
        sentimentMinCases: 5,
        repeatFactor: 2,
        repeatMinCases: 3,
        breachRate: 0.2,
        breachMinClocks: 5,
        clearRatio: 0.8,
      },
      intervalMs: 60_000,
    });
    const tuned = loadConfig({
      EARLY_WARNING_SPIKE_FACTOR: '2.5',
      EARLY_WARNING_SPIKE_MIN_CASES: '10',
      EARLY_WARNING_BREACH_RATE: '0.3',
      EARLY_WARNING_INTERVAL_MS: '5000',
    });
    expect(tuned.earlyWarning).toMatchObject({ thresholds: { spikeFactor: 2.5, spikeMinCases: 10, breachRate: 0.3 }, intervalMs: 5_000 });
    expect(
      problemsOf({
        EARLY_WARNING_SPIKE_FACTOR: 'lots',
        EARLY_WARNING_SPIKE_MIN_CASES: '2.5',
        EARLY_WARNING_CLEAR_RATIO: '0',
        EARLY_WARNING_SENTIMENT_MIN_SHARE: '1.5',
        EARLY_WARNING_INTERVAL_MS: '10',
      }),
    ).toEqual([
      "EARLY_WARNING_SPIKE_FACTOR must be a number from 1 to 1000, got 'lots'",
      "EARLY_WARNING_SPIKE_MIN_CASES must be an integer from 1 to 1000000, got '2.5'",
      "EARLY_WARNING_SENTIMENT_MIN_SHARE must be a number above 0 up to 1, got '1.5'",
      "EARLY_WARNING_CLEAR_RATIO must be a number above 0 up to 1, got '0'",
      "EARLY_WARNING_INTERVAL_MS must be an integer from 1000 to 3600000, got '10'",
    ]);
  });
});
