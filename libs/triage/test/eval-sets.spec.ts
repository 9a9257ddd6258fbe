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
import { triagePaths } from '../training/repo-paths';

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

  it('holds at least 150 regulator texts in both languages, roughly half mentions, each valid and none repeated', () => {
    const { records, problems } = loadSet(paths.regulatorSet, regulatorText);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(150);
    for (const language of ['zh', 'en']) {
      const inLanguage = records.filter((r) => r.language === language);
      expect(inLanguage.length).toBeGreaterThanOrEqual(60);
      const mentions = inLanguage.filter((r) => r.regulator === true).length;
      expect(mentions / inLanguage.length).toBeGreaterThanOrEqual(0.4);
      expect(mentions / inLanguage.length).toBeLessThanOrEqual(0.6);
    }
  });

  it('holds at least 300 regulator development texts in Chinese, English and other languages, with hard negatives, each valid and none repeated', () => {
    const { records, problems } = loadSet(paths.regulatorDev, regulatorDevText);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(300);
    for (const language of ['zh', 'en']) {
      const inLanguage = records.filter((r) => r.language === language);
      expect(inLanguage.length).toBeGreaterThanOrEqual(120);
      const mentions = inLanguage.filter((r) => r.regulator === true).length;
      expect(mentions / inLanguage.length).toBeGreaterThanOrEqual(0.4);
      expect(mentions / inLanguage.length).toBeLessThanOrEqual(0.6);
    }
    expect(records.filter((r) => !['zh', 'en'].includes(String(r.language))).length).toBeGreaterThanOrEqual(40);
  });

  it('holds a second set of at least 300 regulator development texts, simplified and traditional Chinese, English and other languages, about half hard negatives', () => {
    const { records, problems } = loadSet(paths.regulatorDev2, regulatorDevText);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(300);
    for (const language of ['zh', 'en']) {
      const inLanguage = records.filter((r) => r.language === language);
      expect(inLanguage.length).toBeGreaterThanOrEqual(100);
      const mentions = inLanguage.filter((r) => r.regulator === true).length;
      expect(mentions / inLanguage.length).toBeGreaterThanOrEqual(0.4);
      expect(mentions / inLanguage.length).toBeLessThanOrEqual(0.6);
    }
    const others = records.filter((r) => !['zh', 'en'].includes(String(r.language)));
    expect(new Set(others.map((r) => r.language)).size).toBeGreaterThanOrEqual(5);
    expect(others.length).toBeGreaterThanOrEqual(50);
    const traditional = records.filter((r) => r.language === 'zh' && foldChinese(String(r.text)) !== String(r.text));
    expect(traditional.length).toBeGreaterThanOrEqual(15);
  });

  it('holds the earlier blind set as a third development set of at least 200 Chinese and English texts, about half hard negatives', () => {
    const { records, problems } = loadSet(paths.regulatorDev3, regulatorDevText);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(200);
    for (const language of ['zh', 'en']) {
      const inLanguage = records.filter((r) => r.language === language);
      expect(inLanguage.length).toBeGreaterThanOrEqual(100);
      const mentions = inLanguage.filter((r) => r.regulator === true).length;
      expect(mentions / inLanguage.length).toBeGreaterThanOrEqual(0.4);
      expect(mentions / inLanguage.length).toBeLessThanOrEqual(0.6);
    }
  });

  it('holds a fourth set of at least 250 regulator development texts, Chinese, English and other languages, about half hard negatives', () => {
    const { records, problems } = loadSet(paths.regulatorDev4, regulatorDevText);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(250);
    for (const language of ['zh', 'en']) {
      const inLanguage = records.filter((r) => r.language === language);
      expect(inLanguage.length).toBeGreaterThanOrEqual(100);
      const mentions = inLanguage.filter((r) => r.regulator === true).length;
      expect(mentions / inLanguage.length).toBeGreaterThanOrEqual(0.4);
      expect(mentions / inLanguage.length).toBeLessThanOrEqual(0.6);
    }
    const others = records.filter((r) => !['zh', 'en'].includes(String(r.language)));
    expect(new Set(others.map((r) => r.language)).size).toBeGreaterThanOrEqual(5);
    expect(others.length).toBeGreaterThanOrEqual(30);
  });

  it('holds the blind set of round 4 as a fifth development set of at least 300 texts, Chinese, English and other languages, about half mentions', () => {
    const { records, problems } = loadSet(paths.regulatorDev5, regulatorDevText);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(300);
    for (const language of ['zh', 'en']) {
      const inLanguage = records.filter((r) => r.language === language);
      expect(inLanguage.length).toBeGreaterThanOrEqual(100);
      const mentions = inLanguage.filter((r) => r.regulator === true).length;
      expect(mentions / inLanguage.length).toBeGreaterThanOrEqual(0.4);
      expect(mentions / inLanguage.length).toBeLessThanOrEqual(0.6);
    }
    const others = records.filter((r) => !['zh', 'en'].includes(String(r.language)));
    expect(new Set(others.map((r) => r.language)).size).toBeGreaterThanOrEqual(5);
  });

  it('holds a sixth set of at least 250 Chinese regulator development texts from other hands, simplified and traditional, about half hard negatives', () => {
    const { records, problems } = loadSet(paths.regulatorDev6, regulatorDevText);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(250);
    expect(records.every((r) => r.language === 'zh')).toBe(true);
    const mentions = records.filter((r) => r.regulator === true).length;
    expect(mentions / records.length).toBeGreaterThanOrEqual(0.4);
    expect(mentions / records.length).toBeLessThanOrEqual(0.6);
    const traditional = records.filter((r) => foldChinese(String(r.text)) !== String(r.text));
    expect(traditional.length).toBeGreaterThanOrEqual(15);
  });

  it('holds a seventh set of at least 250 English and European regulator development texts from other hands, about half hard negatives', () => {
    const { records, problems } = loadSet(paths.regulatorDev7, regulatorDevText);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(250);
    const english = records.filter((r) => r.language === 'en');
    expect(english.length).toBeGreaterThanOrEqual(150);
    const mentions = records.filter((r) => r.regulator === true).length;
    expect(mentions / records.length).toBeGreaterThanOrEqual(0.4);
    expect(mentions / records.length).toBeLessThanOrEqual(0.6);
    const others = records.filter((r) => r.language !== 'en');
    expect(new Set(others.map((r) => r.language)).size).toBeGreaterThanOrEqual(5);
    expect(others.length).toBeGreaterThanOrEqual(50);
  });

  it('holds the blind regulator set of at least 300 texts, Chinese, English and other languages, about half mentions, each valid and none repeated', () => {
    const { records, problems } = loadSet(paths.regulatorHeldOut, regulatorDevText);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(300);
    for (const language of ['zh', 'en']) {
      const inLanguage = records.filter((r) => r.language === language);
      expect(inLanguage.length).toBeGreaterThanOrEqual(100);
      const mentions = inLanguage.filter((r) => r.regulator === true).length;
      expect(mentions / inLanguage.length).toBeGreaterThanOrEqual(0.4);
      expect(mentions / inLanguage.length).toBeLessThanOrEqual(0.6);
    }
    const others = records.filter((r) => !['zh', 'en'].includes(String(r.language)));
    expect(new Set(others.map((r) => r.language)).size).toBeGreaterThanOrEqual(5);
  });

  it('given the development sets and the blind regulator set, then no text is in two of them (compared by hash)', () => {
    const development = [
      paths.enAfterSales,
      paths.regulatorSet,
      paths.regulatorDev,
      paths.regulatorDev2,
      paths.regulatorDev3,
      paths.regulatorDev4,
      paths.regulatorDev5,
      paths.regulatorDev6,
      paths.regulatorDev7,
    ].map(textHashes);
    const blind = textHashes(paths.regulatorHeldOut);
    expect(blind.size).toBeGreaterThanOrEqual(300);
    development.forEach((set, i) => {
      expect([...set].filter((h) => blind.has(h))).toEqual([]);
      development.slice(i + 1).forEach((other) => expect([...set].filter((h) => other.has(h))).toEqual([]));
    });
    expect(hashOfText('消 协')).toBe(hashOfText('消协'));
  });
});
