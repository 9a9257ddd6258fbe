/**
 * Configuration from the environment, validated once at start-up. Every problem is reported together, by
 * variable name, and the process does not start with a half-valid configuration.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SlaPolicy } from '@aftersales/case-domain';
import { DEFAULT_SLA_POLICY, slaPolicyProblems } from '@aftersales/case-domain';
import type { CloudEventsMode } from '@aftersales/kafka-transport';
import { CLOUDEVENTS_MODE, CLOUDEVENTS_MODES } from '@aftersales/kafka-transport';
import { PROJECTION_NAMES } from '@aftersales/read-models';
import type { EarlyWarningConfig } from './early-warning-config';
import { EARLY_WARNING_VARIABLES, parseEarlyWarning } from './early-warning-config';
import type { FollowUpPolicy } from '@aftersales/case-domain';
import { FOLLOW_UP_VARIABLES, parseFollowUpPolicy } from './follow-up-config';

export const ROLES = ['service', 'agent', 'analyst', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** A role only AUTH_TOKENS can grant (never generated): reads /metrics and nothing else. */
export const METRICS_ROLE = 'metrics';
/** The role a bearer token grants: one of ROLES, or `metrics` when AUTH_TOKENS names one. */
export type TokenRole = Role | typeof METRICS_ROLE;

/** The views (defined by read-models); WORKERS can name them one by one so each consumer group scales on its own. */
export { PROJECTION_NAMES };
const WORKER_NAMES = ['relay', 'projectors', ...PROJECTION_NAMES, 'order-intake', 'sla-watch'] as const;

/** The background work this process runs beside its HTTP port (WORKERS; all of it by default). */
export interface WorkerSelection {
  relay: boolean;
  projections: string[];
  orderIntake: boolean;
  slaWatch: boolean;
}

export const ALL_WORKERS: WorkerSelection = { relay: true, projections: [...PROJECTION_NAMES], orderIntake: true, slaWatch: true };

export type StoreSelection =
  { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; connectionString: string } | { kind: 'eventstoredb'; connectionString: string };

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Tokens given in AUTH_TOKENS; undefined when the embedded default should generate them. */
  authTokens?: Array<{ role: TokenRole; token: string }>;
  databaseUrl?: string;
  eventStoreConnectionString?: string;
  kafkaBrokers?: string[];
  /** Appended to every topic name, so several installations can share one Kafka cluster. */
  kafkaTopicSuffix: string;
  /** Start of every consumer group id (`<prefix>-projector-<view>`, `<prefix>-order-intake`). */
  kafkaGroupPrefix: string;
  /** How the relay lays CloudEvents on its records (KAFKA_CLOUDEVENTS_MODE); consumers read both modes. */
  kafkaCloudEventsMode: CloudEventsMode;
  /** How new topics are laid out (KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS); checked against the cluster at start-up. */
  kafkaTopicLayout: { partitions: number; replicationFactor: number; minInsyncReplicas: number };
  /** Records larger than this are dead-lettered as too large (KAFKA_MAX_RECORD_BYTES); undefined: the broker's message.max.bytes. */
  kafkaMaxRecordBytes?: number;
  /** A consumer further behind than this many events makes the process not ready (READY_MAX_LAG). */
  readyMaxLag: number;
  eventStore: StoreSelection;
  slaPolicy: SlaPolicy;
  slaPolicySource: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** How often the SLA watch looks for clocks at risk or overdue. */
  slaWatchIntervalMs: number;
  /** Requests per second and burst per principal (per client address before authentication); 0 turns limiting off. */
  rateLimit: { perSecond: number; burst: number };
  /** GET /metrics without a token (METRICS_PUBLIC=true); otherwise it needs the `admin` or `metrics` role. */
  metricsPublic: boolean;
  /** The largest money amount any request or order fact may carry (MAX_AMOUNT). */
  maxAmount: number;
  /** Keys request fingerprints (FINGERPRINT_SECRET); unset: generated once in DATA_DIR, or in the database on PostgreSQL. */
  fingerprintSecret?: string;
  workers: WorkerSelection;
  /** Early-warning thresholds and watch interval (EARLY_WARNING_*). */
  earlyWarning: EarlyWarningConfig;
  /** Days until a closure's follow-up falls due, by default and per case type (FOLLOW_UP_DAYS, FOLLOW_UP_DAYS_BY_TYPE). */
  followUpPolicy: FollowUpPolicy;
}

/** Every environment variable the process reads (checked by a test; deploy/compose/check.sh holds the deploy files to it). */
export const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'DATA_DIR',
  'AUTH_TOKENS',
  'DATABASE_URL',
  'EVENTSTORE_CONNECTION_STRING',
  'KAFKA_BROKERS',
  'KAFKA_TOPIC_SUFFIX',
  'KAFKA_GROUP_PREFIX',
  'KAFKA_PARTITIONS',
  'KAFKA_REPLICATION_FACTOR',
  'KAFKA_MIN_INSYNC_REPLICAS',
  'KAFKA_MAX_RECORD_BYTES',
  'KAFKA_CLOUDEVENTS_MODE',
  'READY_MAX_LAG',
  'LOG_LEVEL',
  'SLA_POLICY_FILE',
  'SLA_WATCH_INTERVAL_MS',
  'RATE_LIMIT_PER_SECOND',
  'RATE_LIMIT_BURST',
  'METRICS_PUBLIC',
  'MAX_AMOUNT',
  'FINGERPRINT_SECRET',
  'WORKERS',
  ...EARLY_WARNING_VARIABLES,
  ...FOLLOW_UP_VARIABLES,
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const TOKEN_ROLES = [...ROLES, METRICS_ROLE] as const;

/**
 * Default requests per second per principal (burst twice that). One process on 2 shared cores answered about
 * 185 escalation reads/s and 47 case opens/s with 16 requests in flight (docs/security.md); 50/s keeps one
 * principal well below what the process serves, so the others still get through.
 */
export const DEFAULT_RATE_LIMIT_PER_SECOND = 50;
/** Default MAX_AMOUNT: the largest money amount accepted anywhere. */
export const DEFAULT_MAX_AMOUNT = 1_000_000_000;
/** Above this a sum of amounts in cents would lose whole cents as a double (2^53 / 100 ≈ 9.0e13). */
const MAX_AMOUNT_CEILING = 90_000_000_000_000;

function parseFlag(name: string, raw: string | undefined, problems: string[]): boolean {
  if (raw === undefined || raw.trim() === '') return false;
  const value = raw.trim().toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  problems.push(`${name} must be true or false, got '${raw}'`);
  return false;
}

function parseMaxAmount(raw: string | undefined, problems: string[]): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_AMOUNT;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > MAX_AMOUNT_CEILING) {
    problems.push(`MAX_AMOUNT must be a number above 0 and at most ${MAX_AMOUNT_CEILING}, got '${raw}'`);
    return DEFAULT_MAX_AMOUNT;
  }
  return value;
}

/** An integer variable within [min, max]; `fallback` when unset. */
function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
    return fallback;
  }
  return value;
}

/** Topic layout: 3 partitions, replication factor 1 and min ISR 1 fit one local broker; min ISR defaults to RF − 1 (at least 1). */
function parseTopicLayout(env: NodeJS.ProcessEnv, problems: string[]): AppConfig['kafkaTopicLayout'] {
  const partitions = parseInteger('KAFKA_PARTITIONS', env.KAFKA_PARTITIONS, 3, 1, 10_000, problems);
  const replicationFactor = parseInteger('KAFKA_REPLICATION_FACTOR', env.KAFKA_REPLICATION_FACTOR, 1, 1, 32_767, problems);
  const minInsyncReplicas = parseInteger('KAFKA_MIN_INSYNC_REPLICAS', env.KAFKA_MIN_INSYNC_REPLICAS, Math.max(1, replicationFactor - 1), 1, 32_767, problems);
  if (minInsyncReplicas > replicationFactor) {
    problems.push(
      `KAFKA_MIN_INSYNC_REPLICAS (${minInsyncReplicas}) must not be above KAFKA_REPLICATION_FACTOR (${replicationFactor}), or no write could ever be acknowledged`,
    );
  }
  return { partitions, replicationFactor, minInsyncReplicas };
}

function parsePort(raw: string | undefined, problems: string[]): number {
  if (raw === undefined || raw === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be an integer from 0 to 65535, got '${raw}'`);
  return port;
}

function parseTokens(raw: string | undefined, problems: string[]): AppConfig['authTokens'] {
  if (raw === undefined || raw.trim() === '') return undefined;
  const tokens: NonNullable<AppConfig['authTokens']> = [];
  for (const pair of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.indexOf('=');
    const role = pair.slice(0, at) as TokenRole;
    const token = pair.slice(at + 1);
    if (at <= 0 || !(TOKEN_ROLES as readonly string[]).includes(role)) {
      problems.push(`AUTH_TOKENS entry '${pair.slice(0, Math.max(at, 0)) || pair}' must be role=token with a role of ${TOKEN_ROLES.join(', ')}`);
    } else if (token.length < 16 || /\s/.test(token)) {
      problems.push(`AUTH_TOKENS token for role '${role}' must be at least 16 characters with no spaces`);
    } else {
      tokens.push({ role, token });
    }
  }
  if (tokens.length === 0 && problems.length === 0) problems.push('AUTH_TOKENS is set but names no token');
  return tokens;
}

function parseBrokers(raw: string | undefined, problems: string[]): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const brokers = raw
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    if (!/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(broker)) problems.push(`KAFKA_BROKERS entry '${broker}' must be host:port`);
  }
  return brokers;
}

function parseUrl(name: string, raw: string | undefined, schemes: string[], problems: string[]): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    const url = new URL(raw);
    if (!schemes.includes(url.protocol.replace(/:$/, ''))) {
      problems.push(`${name} must use ${schemes.map((s) => `${s}://`).join(' or ')}, got '${url.protocol}//'`);
    }
  } catch {
    problems.push(`${name} is not a valid URL`);
  }
  return raw;
}

function parseWorkers(raw: string | undefined, problems: string[]): WorkerSelection {
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'all') return ALL_WORKERS;
  const names = raw
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  if (names.length === 1 && names[0] === 'none') return { relay: false, projections: [], orderIntake: false, slaWatch: false };
  const unknown = names.filter((n) => !(WORKER_NAMES as readonly string[]).includes(n));
  if (unknown.length) {
    problems.push(`WORKERS entries ${unknown.map((u) => `'${u}'`).join(', ')} unknown; use all, none, or a list of ${WORKER_NAMES.join(', ')}`);
  }
  const projections = PROJECTION_NAMES.filter((p) => names.includes(p) || names.includes('projectors'));
  return { relay: names.includes('relay'), projections, orderIntake: names.includes('order-intake'), slaWatch: names.includes('sla-watch') };
}

function loadSlaPolicy(file: string | undefined, problems: string[]): { policy: SlaPolicy; source: string } {
  if (!file) return { policy: DEFAULT_SLA_POLICY, source: 'built-in default' };
  try {
    const parsed = JSON.parse(readFileSync(resolve(file), 'utf8')) as unknown;
    const found = slaPolicyProblems(parsed);
    if (found.length) {
      problems.push(...found.map((p) => `SLA_POLICY_FILE ${file}: ${p}`));
      return { policy: DEFAULT_SLA_POLICY, source: file };
    }
    return { policy: parsed as SlaPolicy, source: file };
  } catch (error) {
    problems.push(`SLA_POLICY_FILE ${file} cannot be read as JSON: ${(error as Error).message}`);
    return { policy: DEFAULT_SLA_POLICY, source: file };
  }
}

function parseKafkaNames(
  env: NodeJS.ProcessEnv,
  problems: string[],
): { kafkaTopicSuffix: string; kafkaGroupPrefix: string; kafkaCloudEventsMode: CloudEventsMode } {
  const kafkaTopicSuffix = env.KAFKA_TOPIC_SUFFIX ?? '';
  if (!/^[A-Za-z0-9._-]{0,60}$/.test(kafkaTopicSuffix)) problems.push(`KAFKA_TOPIC_SUFFIX must be up to 60 of A-Z a-z 0-9 . _ -, got '${kafkaTopicSuffix}'`);
  const kafkaGroupPrefix = env.KAFKA_GROUP_PREFIX && env.KAFKA_GROUP_PREFIX !== '' ? env.KAFKA_GROUP_PREFIX : 'aftersales';
  if (!/^[A-Za-z0-9._-]{1,60}$/.test(kafkaGroupPrefix)) problems.push(`KAFKA_GROUP_PREFIX must be 1 to 60 of A-Z a-z 0-9 . _ -, got '${kafkaGroupPrefix}'`);
  const mode = env.KAFKA_CLOUDEVENTS_MODE?.trim() || CLOUDEVENTS_MODE;
  const kafkaCloudEventsMode = (CLOUDEVENTS_MODES as readonly string[]).includes(mode) ? (mode as CloudEventsMode) : CLOUDEVENTS_MODE;
  if (kafkaCloudEventsMode !== mode) problems.push(`KAFKA_CLOUDEVENTS_MODE must be one of ${CLOUDEVENTS_MODES.join(', ')}, got '${mode}'`);
  return { kafkaTopicSuffix, kafkaGroupPrefix, kafkaCloudEventsMode };
}

function parseLogLevel(value: string | undefined, problems: string[]): AppConfig['logLevel'] {
  const logLevel = (value ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${value}'`);
  return logLevel;
}

function parseSlaWatchInterval(value: string | undefined, problems: string[]): number {
  const slaWatchIntervalMs = value ? Number(value) : 15_000;
  if (!Number.isInteger(slaWatchIntervalMs) || slaWatchIntervalMs < 100 || slaWatchIntervalMs > 3_600_000) {
    problems.push(`SLA_WATCH_INTERVAL_MS must be an integer from 100 to 3600000, got '${value}'`);
  }
  return slaWatchIntervalMs;
}

function parseRateLimit(env: NodeJS.ProcessEnv, problems: string[]): AppConfig['rateLimit'] {
  const perSecond = env.RATE_LIMIT_PER_SECOND ? Number(env.RATE_LIMIT_PER_SECOND) : DEFAULT_RATE_LIMIT_PER_SECOND;
  const burst = env.RATE_LIMIT_BURST ? Number(env.RATE_LIMIT_BURST) : Math.max(1, perSecond * 2);
  if (!Number.isFinite(perSecond) || perSecond < 0) problems.push(`RATE_LIMIT_PER_SECOND must be a number ≥ 0, got '${env.RATE_LIMIT_PER_SECOND}'`);
  if (env.RATE_LIMIT_BURST && (!Number.isFinite(burst) || burst < 1)) problems.push(`RATE_LIMIT_BURST must be a number ≥ 1, got '${env.RATE_LIMIT_BURST}'`);
  return { perSecond, burst };
}

function parseFingerprintSecret(value: string | undefined, problems: string[]): string | undefined {
  const fingerprintSecret = value?.trim() ? value : undefined;
  if (fingerprintSecret !== undefined && (fingerprintSecret.length < 32 || /\s/.test(fingerprintSecret))) {
    problems.push('FINGERPRINT_SECRET must be at least 32 characters with no spaces (e.g. `openssl rand -base64 32`)');
  }
  return fingerprintSecret;
}

/** EVENTSTORE_CONNECTION_STRING wins, then DATABASE_URL, else PGlite in DATA_DIR. */
function storeSelection(eventStoreConnectionString: string | undefined, databaseUrl: string | undefined, dataDir: string): StoreSelection {
  return eventStoreConnectionString
    ? { kind: 'eventstoredb', connectionString: eventStoreConnectionString }
    : databaseUrl
      ? { kind: 'postgres', connectionString: databaseUrl }
      : { kind: 'pglite', dataDir: resolve(dataDir, 'pglite') };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const port = parsePort(env.PORT, problems);
  const host = env.HOST && env.HOST.trim() ? env.HOST.trim() : '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR && env.DATA_DIR.trim() ? env.DATA_DIR : './data');
  const authTokens = parseTokens(env.AUTH_TOKENS, problems);
  const databaseUrl = parseUrl('DATABASE_URL', env.DATABASE_URL, ['postgres', 'postgresql'], problems);
  const eventStoreConnectionString = parseUrl(
    'EVENTSTORE_CONNECTION_STRING',
    env.EVENTSTORE_CONNECTION_STRING,
    ['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover'],
    problems,
  );
  const kafkaBrokers = parseBrokers(env.KAFKA_BROKERS, problems);
  const { kafkaTopicSuffix, kafkaGroupPrefix, kafkaCloudEventsMode } = parseKafkaNames(env, problems);
  const logLevel = parseLogLevel(env.LOG_LEVEL, problems);
  const sla = loadSlaPolicy(env.SLA_POLICY_FILE, problems);
  const slaWatchIntervalMs = parseSlaWatchInterval(env.SLA_WATCH_INTERVAL_MS, problems);
  const rateLimit = parseRateLimit(env, problems);
  const workers = parseWorkers(env.WORKERS, problems);
  const kafkaTopicLayout = parseTopicLayout(env, problems);
  const kafkaMaxRecordBytes = env.KAFKA_MAX_RECORD_BYTES?.trim()
    ? parseInteger('KAFKA_MAX_RECORD_BYTES', env.KAFKA_MAX_RECORD_BYTES, 1_048_588, 1_024, 1_073_741_824, problems)
    : undefined;
  const readyMaxLag = parseInteger('READY_MAX_LAG', env.READY_MAX_LAG, 10_000, 1, 1_000_000_000, problems);
  const metricsPublic = parseFlag('METRICS_PUBLIC', env.METRICS_PUBLIC, problems);
  const maxAmount = parseMaxAmount(env.MAX_AMOUNT, problems);
  const fingerprintSecret = parseFingerprintSecret(env.FINGERPRINT_SECRET, problems);
  const earlyWarning = parseEarlyWarning(env, problems);
  const followUpPolicy = parseFollowUpPolicy(env, problems);
  if (problems.length) throw new ConfigError(problems);

  return {
    port,
    host,
    dataDir,
    authTokens,
    databaseUrl,
    eventStoreConnectionString,
    kafkaBrokers,
    kafkaTopicSuffix,
    kafkaGroupPrefix,
    kafkaCloudEventsMode,
    kafkaTopicLayout,
    kafkaMaxRecordBytes,
    readyMaxLag,
    eventStore: storeSelection(eventStoreConnectionString, databaseUrl, dataDir),
    slaPolicy: sla.policy,
    slaPolicySource: sla.source,
    logLevel,
    slaWatchIntervalMs,
    rateLimit,
    metricsPublic,
    maxAmount,
    fingerprintSecret,
    workers,
    earlyWarning,
    followUpPolicy,
  };
}
