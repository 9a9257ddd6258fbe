/**
 * Jurisdiction profiles as configuration (spec section 9): the built-in CN and EU profiles give the deadlines of
 * their laws, the BR example of docs/compliance.md is a valid profile with Procon among its regulator terms, and a
 * malformed file is refused with every problem named.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  BUILT_IN_PROFILES,
  JurisdictionProfiles,
  jurisdictionProfilesFromEnvironment,
  parseJurisdictionProfiles,
  refundDeadline,
  returnWindowEnd,
} from '../src';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const profiles = new JurisdictionProfiles();
const CN = profiles.get('CN')!;
const EU = profiles.get('EU')!;

/** The first ```json block of docs/compliance.md: the BR example, exactly as documented. */
function documentedExample(): unknown {
  const doc = readFileSync(resolve(__dirname, '../../../docs/compliance.md'), 'utf8');
  const block = /```json\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('docs/compliance.md has no json example');
  return JSON.parse(block[1]);
}

describe('Built-in jurisdiction profiles', () => {
  it('are CN and EU', () => {
    expect(profiles.ids()).toEqual(['CN', 'EU']);
    expect(BUILT_IN_PROFILES.map((p) => p.id)).toEqual(['CN', 'EU']);
  });

  it('CN: 7 Shanghai calendar days from the day after delivery; refund within 7 days of receiving the goods', () => {
    // Delivered 2 March 04:00 Shanghai time: the window runs through 9 March 23:59:59.999 Shanghai time.
    expect(iso(returnWindowEnd(CN, '2026-03-01T20:00:00.000Z'))).toBe('2026-03-09T15:59:59.999Z');
    expect(refundDeadline(CN, '2026-03-02T09:00:00.000Z')).toBeUndefined();
    expect(iso(refundDeadline(CN, '2026-03-02T09:00:00.000Z', '2026-03-05T10:00:00.000Z'))).toBe('2026-03-12T10:00:00.000Z');
  });

  it('EU: 14 days from delivery; refund 14 days from the notice, or when the goods are back if later', () => {
    expect(iso(returnWindowEnd(EU, '2026-03-01T20:00:00.000Z'))).toBe('2026-03-15T20:00:00.000Z');
    expect(iso(refundDeadline(EU, '2026-03-02T09:00:00.000Z'))).toBe('2026-03-16T09:00:00.000Z');
    expect(iso(refundDeadline(EU, '2026-03-02T09:00:00.000Z', '2026-03-20T09:00:00.000Z'))).toBe('2026-03-20T09:00:00.000Z');
  });
});

describe('The BR example of docs/compliance.md', () => {
  const [BR] = parseJurisdictionProfiles(documentedExample(), 'docs/compliance.md');

  it('is a valid profile naming Procon among its regulator terms', () => {
    expect(BR).toMatchObject({ id: 'BR', timeZone: 'America/Sao_Paulo', regulatorTerms: expect.arrayContaining(['Procon']) });
    expect(new JurisdictionProfiles([BR]).ids()).toEqual(['CN', 'EU', 'BR']);
  });

  it('counts 7 São Paulo calendar days from the day after delivery; the refund is due 7 days after the request', () => {
    // Delivered 2 March 12:00 in São Paulo (UTC-3): the window ends 9 March 23:59:59.999 there.
    expect(iso(returnWindowEnd(BR, '2026-03-02T15:00:00.000Z'))).toBe('2026-03-10T02:59:59.999Z');
    expect(iso(refundDeadline(BR, '2026-03-02T09:00:00.000Z', '2026-03-20T09:00:00.000Z'))).toBe('2026-03-09T09:00:00.000Z');
  });

  it("is read from the file COMPLIANCE_PROFILES_FILE names, with every profile's regulator terms", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'profiles-')), 'profiles.json');
    writeFileSync(file, JSON.stringify(documentedExample()));
    const loaded = jurisdictionProfilesFromEnvironment({ COMPLIANCE_PROFILES_FILE: file });
    expect(loaded.ids()).toEqual(['CN', 'EU', 'BR']);
    expect(loaded.regulatorTerms()).toEqual(['Procon', 'consumidor.gov.br', 'Reclame Aqui', 'Senacon']);
    expect(jurisdictionProfilesFromEnvironment({}).ids()).toEqual(['CN', 'EU']);
  });
});

describe('A malformed profiles file', () => {
  const valid = () => (documentedExample() as { profiles: Record<string, unknown>[] }).profiles[0];

  it('is refused with every problem named, by profile and field', () => {
    const broken = { ...valid(), timeZone: 'Mars/Olympus', extra: 1, noReasonReturn: { days: 7, counting: 'whenever', basis: 'x' } };
    expect(() => parseJurisdictionProfiles({ profiles: [broken] }, 'profiles.json')).toThrow(
      'profiles.json is not valid: profiles[0] has unknown keys extra; allowed: id, name, timeZone, noReasonReturn, refund, firstResponseMaxHours, regulatorTerms; ' +
        'profiles[0].timeZone must be an IANA time zone (e.g. America/Sao_Paulo); ' +
        'profiles[0].noReasonReturn must be { days: 0..3650, counting: "from-delivery" | "calendar-days-after-delivery", basis: text }',
    );
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object with profiles', [], /must be a JSON object \{ "profiles"/],
    ['a lower-case id', { profiles: [{ ...valid(), id: 'br' }] }, /profiles\[0\]\.id must be 2-16 upper-case/],
    ['the same id twice', { profiles: [valid(), valid()] }, /profile ids must be unique: BR given more than once/],
    ['a negative refund', { profiles: [{ ...valid(), refund: { days: -1, from: 'goods-received', basis: 'x' } }] }, /profiles\[0\]\.refund must be/],
    ['regulator terms that are not text', { profiles: [{ ...valid(), regulatorTerms: ['Procon', ''] }] }, /regulatorTerms must be a list of non-empty strings/],
  ])('refuses %s', (_, json, message) => {
    expect(() => parseJurisdictionProfiles(json)).toThrow(message);
  });

  it('that cannot be read is named', () => {
    expect(() => jurisdictionProfilesFromEnvironment({ COMPLIANCE_PROFILES_FILE: '/nonexistent/profiles.json' })).toThrow(
      /cannot read the jurisdiction profiles \/nonexistent\/profiles\.json/,
    );
  });
});
