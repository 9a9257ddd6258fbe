/**
 * Jurisdiction profiles: the deadlines a jurisdiction's consumer law sets for the compliance rules (no-reason
 * return window, refund deadline, the latest first response) and the regulator terms its customers use. `CN` and
 * `EU` are built in; others (`BR` with Procon, see docs/compliance.md) come from a JSON file named by
 * `COMPLIANCE_PROFILES_FILE`, validated at start-up: a file that is not a well-formed list of profiles stops the
 * start with a message naming every problem.
 */
import { readFileSync } from 'node:fs';
import { DateTime, IANAZone } from 'luxon';

export interface JurisdictionProfile {
  /** `CN`, `EU`, `BR`…: upper-case letters, digits or `_`, 2 to 16 characters. */
  id: string;
  name: string;
  /** IANA time zone in which calendar days are counted. */
  timeZone: string;
  noReasonReturn: {
    days: number;
    /** `from-delivery`: `days` × 24 h from delivery; `calendar-days-after-delivery`: whole local days counted from the day after. */
    counting: 'from-delivery' | 'calendar-days-after-delivery';
    basis: string;
  };
  refund: {
    days: number;
    /** `goods-received`: from receipt of the returned goods; `withdrawal-notice`: from the request (the case's opening). */
    from: 'goods-received' | 'withdrawal-notice';
    /** With `withdrawal-notice`: the trader may wait until the goods are back. */
    mayWaitForGoods?: boolean;
    basis: string;
  };
  /** The first response is late after this many hours, whatever the SLA target. */
  firstResponseMaxHours: number;
  /** Terms naming this jurisdiction's regulators or consumer bodies, added to triage's regulator terms. */
  regulatorTerms: string[];
}

export const BUILT_IN_PROFILES: readonly JurisdictionProfile[] = [
  {
    id: 'CN',
    name: 'China: Consumer Rights Protection Law, E-Commerce Law',
    timeZone: 'Asia/Shanghai',
    noReasonReturn: { days: 7, counting: 'calendar-days-after-delivery', basis: 'Consumer Rights Protection Law art. 25' },
    refund: { days: 7, from: 'goods-received', basis: 'Consumer Rights Protection Law art. 25' },
    firstResponseMaxHours: 24,
    regulatorTerms: [],
  },
  {
    id: 'EU',
    name: 'European Union: Consumer Rights Directive 2011/83/EU',
    timeZone: 'UTC',
    noReasonReturn: { days: 14, counting: 'from-delivery', basis: 'Directive 2011/83/EU art. 9' },
    refund: { days: 14, from: 'withdrawal-notice', mayWaitForGoods: true, basis: 'Directive 2011/83/EU art. 13' },
    firstResponseMaxHours: 24,
    regulatorTerms: [],
  },
];

/** The environment variable naming a file of more jurisdiction profiles. */
export const PROFILES_FILE_VARIABLE = 'COMPLIANCE_PROFILES_FILE';

export class JurisdictionProfiles {
  private readonly byId: Map<string, JurisdictionProfile>;

  /** The built-in profiles, then `more` (a profile with a built-in id replaces it). */
  constructor(more: readonly JurisdictionProfile[] = []) {
    this.byId = new Map([...BUILT_IN_PROFILES, ...more].map((p) => [p.id, p]));
  }

  get(id: string): JurisdictionProfile | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  /** Every profile's regulator terms, each once. */
  regulatorTerms(): string[] {
    return [...new Set([...this.byId.values()].flatMap((p) => p.regulatorTerms))];
  }
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Last instant of the no-reason return window. */
export function returnWindowEnd(profile: JurisdictionProfile, deliveredAt: string): number {
  const delivered = Date.parse(deliveredAt);
  const { days, counting } = profile.noReasonReturn;
  if (counting === 'from-delivery') return delivered + days * DAY;
  // Whole local calendar days from the day after delivery: through the end of the delivery day + `days`.
  const deliveryDay = DateTime.fromMillis(delivered, { zone: profile.timeZone }).startOf('day');
  return deliveryDay.plus({ days: days + 1 }).toMillis() - 1;
}

/** Deadline for refunding a no-reason return; undefined while it cannot start (goods not yet received). */
export function refundDeadline(profile: JurisdictionProfile, openedAt: string, receivedAt?: string): number | undefined {
  const { days, from, mayWaitForGoods } = profile.refund;
  if (from === 'goods-received') return receivedAt ? Date.parse(receivedAt) + days * DAY : undefined;
  const notice = Date.parse(openedAt) + days * DAY;
  return receivedAt && mayWaitForGoods ? Math.max(notice, Date.parse(receivedAt)) : notice;
}

const PROFILE_KEYS = ['id', 'name', 'timeZone', 'noReasonReturn', 'refund', 'firstResponseMaxHours', 'regulatorTerms'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isDays = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 3650;

/** Problems of one profile, each naming its field; empty when it is well formed. */
function problemsOf(p: unknown, at: string): string[] {
  if (!isObject(p)) return [`${at} must be an object`];
  const out: string[] = [];
  const unknown = Object.keys(p).filter((k) => !PROFILE_KEYS.includes(k));
  if (unknown.length) out.push(`${at} has unknown keys ${unknown.join(', ')}; allowed: ${PROFILE_KEYS.join(', ')}`);
  if (typeof p.id !== 'string' || !/^[A-Z][A-Z0-9_]{1,15}$/.test(p.id)) out.push(`${at}.id must be 2-16 upper-case letters, digits or _`);
  if (!isText(p.name)) out.push(`${at}.name must be a non-empty string`);
  if (typeof p.timeZone !== 'string' || !IANAZone.isValidZone(p.timeZone)) out.push(`${at}.timeZone must be an IANA time zone (e.g. America/Sao_Paulo)`);
  const r = p.noReasonReturn;
  if (!isObject(r) || !isDays(r.days) || !['from-delivery', 'calendar-days-after-delivery'].includes(r.counting as string) || !isText(r.basis)) {
    out.push(`${at}.noReasonReturn must be { days: 0..3650, counting: "from-delivery" | "calendar-days-after-delivery", basis: text }`);
  }
  const f = p.refund;
  if (
    !isObject(f) ||
    !isDays(f.days) ||
    !['goods-received', 'withdrawal-notice'].includes(f.from as string) ||
    (f.mayWaitForGoods !== undefined && typeof f.mayWaitForGoods !== 'boolean') ||
    !isText(f.basis)
  ) {
    out.push(`${at}.refund must be { days: 0..3650, from: "goods-received" | "withdrawal-notice", mayWaitForGoods?: boolean, basis: text }`);
  }
  if (typeof p.firstResponseMaxHours !== 'number' || !(p.firstResponseMaxHours > 0 && p.firstResponseMaxHours <= 24 * 365)) {
    out.push(`${at}.firstResponseMaxHours must be a number of hours above 0`);
  }
  if (!Array.isArray(p.regulatorTerms) || !p.regulatorTerms.every(isText)) out.push(`${at}.regulatorTerms must be a list of non-empty strings`);
  return out;
}

/** `{ "profiles": [ … ] }` → the profiles; throws one Error naming every problem (source, profile index, field). */
export function parseJurisdictionProfiles(json: unknown, source = 'the jurisdiction profiles'): JurisdictionProfile[] {
  if (!isObject(json) || !Array.isArray(json.profiles)) throw new Error(`${source} must be a JSON object { "profiles": [ … ] }`);
  const problems = json.profiles.flatMap((p, i) => problemsOf(p, `profiles[${i}]`));
  const ids = json.profiles.map((p) => (isObject(p) ? p.id : undefined)).filter((id): id is string => typeof id === 'string');
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length) problems.push(`profile ids must be unique: ${[...new Set(twice)].join(', ')} given more than once`);
  if (problems.length) throw new Error(`${source} is not valid: ${problems.join('; ')}`);
  return json.profiles as JurisdictionProfile[];
}

export function readJurisdictionProfiles(path: string): JurisdictionProfile[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the jurisdiction profiles ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseJurisdictionProfiles(json, path);
}

/** The built-in profiles plus those of the file named by COMPLIANCE_PROFILES_FILE (none when unset or empty). */
export function jurisdictionProfilesFromEnvironment(env: NodeJS.ProcessEnv = process.env): JurisdictionProfiles {
  const path = env[PROFILES_FILE_VARIABLE]?.trim();
  return new JurisdictionProfiles(path ? readJurisdictionProfiles(path) : []);
}
