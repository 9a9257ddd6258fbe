/**
 * Reads a regulator-terms override from a JSON file (for deployments that add or remove terms without a
 * release), refusing with a clear message anything that is not a well-formed override.
 */
import { readFileSync } from 'node:fs';
import type { RegulatorConfigOverride } from './regulator-mention';

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.trim() !== '');

export function parseRegulatorOverride(json: unknown, source = 'the regulator override'): RegulatorConfigOverride {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${source} must be a JSON object`);
  const o = json as Record<string, unknown>;
  const known = ['windowChars', 'addTerms', 'removeTerms', 'addCues', 'addContextualExclusions'];
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`${source} has unknown keys ${unknown.join(', ')}; allowed: ${known.join(', ')}`);
  if (o.windowChars !== undefined && (!Number.isInteger(o.windowChars) || (o.windowChars as number) < 0)) {
    throw new Error(`${source}: windowChars must be a whole number ≥ 0`);
  }
  for (const key of ['removeTerms', 'addCues', 'addContextualExclusions']) {
    if (o[key] !== undefined && !isStringArray(o[key])) throw new Error(`${source}: ${key} must be a list of non-empty strings`);
  }
  if (o.addTerms !== undefined) {
    const ok =
      Array.isArray(o.addTerms) &&
      o.addTerms.every(
        (t) =>
          (typeof t === 'string' && t.trim() !== '') ||
          (typeof t === 'object' &&
            t !== null &&
            typeof (t as { term?: unknown }).term === 'string' &&
            ['strong', 'contextual'].includes((t as { strength?: unknown }).strength as string)),
      );
    if (!ok) throw new Error(`${source}: addTerms must list strings or { term, strength: "strong" | "contextual" } objects`);
  }
  return o;
}

export function readRegulatorOverride(path: string): RegulatorConfigOverride {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the regulator override ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseRegulatorOverride(json, path);
}

/** The environment variable naming a regulator-terms override file. */
export const REGULATOR_TERMS_FILE_VARIABLE = 'TRIAGE_REGULATOR_TERMS_FILE';

/** The override named by TRIAGE_REGULATOR_TERMS_FILE, or none when the variable is unset or empty. */
export function regulatorOverrideFromEnvironment(env: NodeJS.ProcessEnv = process.env): RegulatorConfigOverride | undefined {
  const path = env[REGULATOR_TERMS_FILE_VARIABLE]?.trim();
  return path ? readRegulatorOverride(path) : undefined;
}
