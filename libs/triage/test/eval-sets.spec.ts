/**
 * The labelled evaluation sets of eval/data are kept in the repository: all are present, large enough, every
 * record carries valid labels, no text is repeated within a set (compared after normalisation), and no
 * development text is also in the blind regulator set or in another development set (compared by hash, so the
 * blind texts are never shown). The blind set (regulator-heldout.jsonl) must be present: it is written apart from
 * the development sets and put in place before each round is measured.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASE_TYPES, CJK_CHAR, foldChinese, normaliseText, type SentimentLabel } from '@aftersales/triage';
import { regulatorDevelopmentSets, triagePaths } from '../training/repo-paths';

const SENTIMENTS: readonly SentimentLabel[] = ['NEGATIVE', 'NEUTRAL', 'POSITIVE'];
const ZH_LABELS: readonly SentimentLabel[] = ['NEGATIVE', 'POSITIVE'];

type JsonRecord = Record<string, unknown>;
type Check = (record: JsonRecord) => string | undefined;

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const oneOf = (v: unknown, allowed: readonly string[]): boolean => typeof v === 'string' && allowed.includes(v);
const hasFields = (r: JsonRecord, fields: string[]): boolean => Object.keys(r).sort().join() === [...fields].sort().join();

/** A record's check: the message of the first rule it breaks, in order. */
const rules =
  (...list: Array<[message: string, holds: (r: JsonRecord) => boolean]>): Check =>
  (r) =>
    list.find(([, holds]) => !holds(r))?.[0];

const zhReview = rules(
  ['fields must be text, label', (r) => hasFields(r, ['text', 'label'])],
  ['text must be a non-empty string', (r) => isText(r.text)],
  [`label must be one of ${ZH_LABELS.join(', ')}`, (r) => oneOf(r.label, ZH_LABELS)],
);

const enAfterSales = rules(
  ['fields must be text, sentiment, type, regulator', (r) => hasFields(r, ['text', 'sentiment', 'type', 'regulator'])],
  ['text must be a non-empty string', (r) => isText(r.text)],
  [`sentiment must be one of ${SENTIMENTS.join(', ')}`, (r) => oneOf(r.sentiment, SENTIMENTS)],
  [`type must be one of ${CASE_TYPES.join(', ')}`, (r) => oneOf(r.type, CASE_TYPES)],
  ['regulator must be a boolean', (r) => typeof r.regulator === 'boolean'],
  ['text must be English', (r) => !CJK_CHAR.test(String(r.text))],
);

const regulatorText = rules(
  ['fields must be text, language, regulator', (r) => hasFields(r, ['text', 'language', 'regulator'])],
  ['text must be a non-empty string', (r) => isText(r.text)],
  ['language must be zh or en', (r) => oneOf(r.language, ['zh', 'en'])],
  ['regulator must be a boolean', (r) => typeof r.regulator === 'boolean'],
  ['language must be zh exactly when the text has Chinese characters', (r) => (r.language === 'zh') === CJK_CHAR.test(String(r.text))],
);

const DEV_LANGUAGES = ['zh', 'en', 'de', 'fr', 'es', 'pt', 'it'];
const regulatorDevText = rules(
  ['fields must be text, language, regulator', (r) => hasFields(r, ['text', 'language', 'regulator'])],
  ['text must be a non-empty string', (r) => isText(r.text)],
  [`language must be one of ${DEV_LANGUAGES.join(', ')}`, (r) => oneOf(r.language, DEV_LANGUAGES)],
  ['regulator must be a boolean', (r) => typeof r.regulator === 'boolean'],
  ['language must be zh exactly when the text has Chinese characters', (r) => (r.language === 'zh') === CJK_CHAR.test(String(r.text))],
);

const hashOfText = (text: string): string => createHash('sha256').update(normaliseText(text)).digest('hex');

/** Hashes of a set's normalised texts; the texts themselves are not kept. */
const textHashes = (path: string): Set<string> =>
  new Set(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => hashOfText(String((JSON.parse(l) as JsonRecord).text))),
  );

interface LoadedSet {
  records: JsonRecord[];
  /** Line-numbered problems: unparsable lines, invalid labels, repeated texts. */
  problems: string[];
}

function loadSet(path: string, check: Check): LoadedSet {
  if (!existsSync(path)) throw new Error(`${path} is missing (zh-reviews-heldout.jsonl is written by npm run train:triage)`);
  const records: LoadedSet['records'] = [];
  const problems: string[] = [];
  const firstLineOf = new Map<string, number>();
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const at = index + 1;
      if (!line.trim()) return;
      let record: JsonRecord;
      try {
        record = JSON.parse(line) as JsonRecord;
      } catch {
        problems.push(`line ${at}: not JSON`);
        return;
      }
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        problems.push(`line ${at}: not an object`);
        return;
      }
      const problem = check(record);
      if (problem) problems.push(`line ${at}: ${problem}`);
      if (isText(record.text)) {
        const key = normaliseText(record.text);
        const first = firstLineOf.get(key);
        if (first !== undefined) problems.push(`line ${at}: repeats the text of line ${first}`);
        else firstLineOf.set(key, at);
      }
      records.push(record);
    });
  return { records, problems };
}

const count = (records: LoadedSet['records'], field: string) =>
  records.reduce<Record<string, number>>((acc, r) => ({ ...acc, [String(r[field])]: (acc[String(r[field])] ?? 0) + 1 }), {});

const paths = triagePaths();

describe('triage evaluation sets', () => {
  it('given a record with a wrong label, a missing field or a repeated text, then the set is reported invalid', () => {
    expect(enAfterSales({ text: 'Refund please', sentiment: 'ANGRY', type: 'REFUND', regulator: false })).toMatch(/sentiment/u);
    expect(enAfterSales({ text: 'Refund please', sentiment: 'NEGATIVE', type: 'REFUND' })).toMatch(/fields/u);
    expect(regulatorText({ text: '我要打12315', language: 'en', regulator: true })).toMatch(/language/u);
    expect(zhReview({ text: '很好', label: 'NEUTRAL' })).toMatch(/label/u);
    expect(enAfterSales({ text: 'Refund please', sentiment: 'NEGATIVE', type: 'REFUND', regulator: false })).toBeUndefined();
    const file = join(mkdtempSync(join(tmpdir(), 'eval-set-')), 'set.jsonl');
    writeFileSync(file, ['{"text":"很好","label":"POSITIVE"}', 'not json', '{"text":"很 好","label":"NEGATIVE"}', ''].join('\n'));
    expect(loadSet(file, zhReview).problems).toEqual(['line 2: not JSON', 'line 3: repeats the text of line 1']);
  });

  it('holds at least 1,000 held-out Chinese reviews, both labels, each valid and none repeated', () => {
    const { records, problems } = loadSet(paths.zhHeldOut, zhReview);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(1000);
    const labels = count(records, 'label');
    for (const label of ZH_LABELS) expect(labels[label]).toBeGreaterThanOrEqual(records.length / 4);
  });

  it('holds at least 200 English after-sales texts covering every sentiment and type, each valid and none repeated', () => {
    const { records, problems } = loadSet(paths.enAfterSales, enAfterSales);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(200);
    const sentiments = count(records, 'sentiment');
    for (const label of SENTIMENTS) expect(sentiments[label]).toBeGreaterThanOrEqual(10);
    const types = count(records, 'type');
    for (const type of CASE_TYPES) expect(types[type]).toBeGreaterThanOrEqual(10);
    const regulator = count(records, 'regulator');
    expect(regulator.true).toBeGreaterThanOrEqual(20);
    expect(regulator.false).toBeGreaterThanOrEqual(20);
  });

  /** What a regulator set must hold: its size, its languages, about half mentions, each record valid, none repeated. */
  interface RegulatorSetShape {
    path: string;
    atLeast: number;
    /** Texts in each of these languages, each language about half mentions (0.4 to 0.6). */
    perLanguage: { languages: string[]; atLeast: number };
    /** Texts in languages other than zh and en: how many, in how many languages. */
    others?: { atLeast: number; languages: number };
    /** Chinese texts in traditional characters. */
    traditional?: number;
    /** The record check (default: a development record, any of the seven languages). */
    check?: Check;
  }

  const regulatorSets: Array<[description: string, shape: RegulatorSetShape]> = [
    [
      'at least 150 regulator texts in Chinese and English',
      { path: paths.regulatorSet, atLeast: 150, perLanguage: { languages: ['zh', 'en'], atLeast: 60 }, check: regulatorText },
    ],
    [
      'the first development set: at least 300 texts in Chinese, English and other languages, with hard negatives',
      { path: paths.regulatorDev, atLeast: 300, perLanguage: { languages: ['zh', 'en'], atLeast: 120 }, others: { atLeast: 40, languages: 1 } },
    ],
    [
      'a second development set of at least 300 texts, simplified and traditional Chinese, English and other languages',
      {
        path: paths.regulatorDev2,
        atLeast: 300,
        perLanguage: { languages: ['zh', 'en'], atLeast: 100 },
        others: { atLeast: 50, languages: 5 },
        traditional: 15,
      },
    ],
    [
      'the earlier blind set as a third development set of at least 200 Chinese and English texts',
      { path: paths.regulatorDev3, atLeast: 200, perLanguage: { languages: ['zh', 'en'], atLeast: 100 } },
    ],
    [
      'a fourth development set of at least 250 texts, Chinese, English and other languages',
      { path: paths.regulatorDev4, atLeast: 250, perLanguage: { languages: ['zh', 'en'], atLeast: 100 }, others: { atLeast: 30, languages: 5 } },
    ],
    [
      'the blind set of round 4 as a fifth development set of at least 300 texts, Chinese, English and other languages',
      { path: paths.regulatorDev5, atLeast: 300, perLanguage: { languages: ['zh', 'en'], atLeast: 100 }, others: { atLeast: 30, languages: 5 } },
    ],
    [
      'a sixth development set of at least 250 Chinese texts from other hands, simplified and traditional',
      { path: paths.regulatorDev6, atLeast: 250, perLanguage: { languages: ['zh'], atLeast: 250 }, traditional: 15 },
    ],
    [
      'a seventh development set of at least 250 English and European texts from other hands',
      { path: paths.regulatorDev7, atLeast: 250, perLanguage: { languages: ['en'], atLeast: 150 }, others: { atLeast: 50, languages: 5 } },
    ],
    [
      'the blind regulator set of at least 300 texts, Chinese, English and other languages',
      { path: paths.regulatorHeldOut, atLeast: 300, perLanguage: { languages: ['zh', 'en'], atLeast: 100 }, others: { atLeast: 30, languages: 5 } },
    ],
  ];

  it.each(regulatorSets)('holds %s, about half mentions, each valid and none repeated', (_, shape) => {
    const { records, problems } = loadSet(shape.path, shape.check ?? regulatorDevText);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(shape.atLeast);
    for (const language of shape.perLanguage.languages) {
      const inLanguage = records.filter((r) => r.language === language);
      expect(inLanguage.length).toBeGreaterThanOrEqual(shape.perLanguage.atLeast);
      const mentions = inLanguage.filter((r) => r.regulator === true).length;
      expect(mentions / inLanguage.length).toBeGreaterThanOrEqual(0.4);
      expect(mentions / inLanguage.length).toBeLessThanOrEqual(0.6);
    }
    const others = records.filter((r) => !['zh', 'en'].includes(String(r.language)));
    expect(others.length).toBeGreaterThanOrEqual(shape.others?.atLeast ?? 0);
    expect(new Set(others.map((r) => r.language)).size).toBeGreaterThanOrEqual(shape.others?.languages ?? 0);
    const traditional = records.filter((r) => r.language === 'zh' && foldChinese(String(r.text)) !== String(r.text));
    expect(traditional.length).toBeGreaterThanOrEqual(shape.traditional ?? 0);
    if (!shape.others) expect(others).toEqual([]);
  });

  it('given the development sets and the blind regulator set, then no text is in two of them (compared by hash)', () => {
    const development = regulatorDevelopmentSets(paths).map(({ path }) => textHashes(path));
    const blind = textHashes(paths.regulatorHeldOut);
    expect(blind.size).toBeGreaterThanOrEqual(300);
    development.forEach((set, i) => {
      expect([...set].filter((h) => blind.has(h))).toEqual([]);
      development.slice(i + 1).forEach((other) => expect([...set].filter((h) => other.has(h))).toEqual([]));
    });
    expect(hashOfText('消 协')).toBe(hashOfText('消协'));
  });
});
