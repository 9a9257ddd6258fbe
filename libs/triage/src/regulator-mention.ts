/**
 * Regulator mention: does the text name a regulator, a consumer body, legal action or public exposure?
 * Terms come from configuration (regulator-terms.json, optionally overridden). Matching runs on normalised
 * text (NFKC, case-folded, no spaces between CJK characters), so '１２３１５', '消 协' and 'Ombudsman' match.
 * A 'strong' term counts wherever it appears; a 'contextual' one only with a complaint cue near it and outside
 * the phrases that give it another meaning ('I'm a lawyer', '多媒体').
 */
import defaults from './regulator-terms.json';
import { foldChinese } from './fold-chinese';
import { normaliseText } from './normalise-text';
import { SIGNAL_KINDS, candidateFeatures, phraseOffsets, type Candidate, type ContextSignals } from './regulator-context';
import { DEFAULT_REGULATOR_MODEL, type RegulatorContextModel } from './regulator-model';

/** The category of a term added by an override: the context model does not know it, the rule decides. */
export const CUSTOM_CATEGORY = 'custom';

export interface RegulatorTermConfig {
  term: string;
  strength: 'strong' | 'contextual';
  /** Latin terms: the characters either side must not be letters or digits. */
  wordBounded?: boolean;
  /** Numbers: the characters either side must not be digits, letters or a hyphen (order no. 8123159 is not 12315). */
  digitBounded?: boolean;
  /** Longer words in which the term means something else (工商 in 工商银行). */
  excludeWhenPartOf?: string[];
  /** consumer-body, regulator, legal, payment, media, escalation; none for a term added by an override. */
  category?: string;
}

export interface RegulatorConfig {
  windowChars: number;
  /** How far before a term a negation ('不会去', "don't want to involve") takes the threat back. */
  negationWindowChars: number;
  negations: { zh: string[]; en: string[] };
  /** After a refusal, one of these ('否则', 'or I will') takes the refusal back: the threat stands. */
  ultimatums: string[];
  terms: RegulatorTermConfig[];
  cues: { zh: string[]; en: string[] };
  contextualExclusions: { zh: string[]; en: string[] };
  signals: ContextSignals;
}

/** An override adds terms (a bare string is a strong term), removes terms, or adds cues and exclusions. */
export interface RegulatorConfigOverride {
  windowChars?: number;
  addTerms?: Array<string | RegulatorTermConfig>;
  removeTerms?: string[];
  addCues?: string[];
  addContextualExclusions?: string[];
}

export interface RegulatorMatch {
  term: string;
  strength: 'strong' | 'contextual';
  /** The cue that made a contextual term count. */
  cue?: string;
  /** Offset in the normalised text. */
  at: number;
  /** The context model's probability that this occurrence is a threat (absent for a term added by an override). */
  score?: number;
}

export interface RegulatorMention {
  mentioned: boolean;
  /** The configured terms that matched, in order of first appearance, each once. */
  terms: string[];
  matches: RegulatorMatch[];
}

export const DEFAULT_REGULATOR_CONFIG: RegulatorConfig = {
  windowChars: defaults.windowChars,
  negationWindowChars: defaults.negationWindowChars,
  negations: defaults.negations,
  ultimatums: [...defaults.ultimatums.zh, ...defaults.ultimatums.en].map((p) => foldChinese(normaliseText(p))),
  terms: defaults.terms as RegulatorTermConfig[],
  cues: defaults.cues,
  contextualExclusions: defaults.contextualExclusions,
  signals: signalsOf(defaults.contextSignals),
};

function signalsOf(raw: typeof defaults.contextSignals): ContextSignals {
  const phrases = Object.fromEntries(SIGNAL_KINDS.map((k) => [k, [...raw[k].zh, ...raw[k].en].map((p) => foldChinese(normaliseText(p)))]));
  return { windowChars: raw.windowChars, phrases: phrases as ContextSignals['phrases'] };
}

const LATIN = /[\p{Script=Latin}\p{N}]/u;
const isLatin = (text: string) => /^[\x20-\x7e]+$/u.test(text);

function isAsciiWordChar(ch: string | undefined): boolean {
  return ch !== undefined && LATIN.test(ch);
}

function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  if (!needle) return found;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

function bounded(text: string, at: number, length: number): boolean {
  // A hyphen joining a following word makes a compound modifier ('ombudsman-approved'), which names no threat.
  const compound = text[at + length] === '-' && isAsciiWordChar(text[at + length + 1]);
  return !isAsciiWordChar(text[at - 1]) && !isAsciiWordChar(text[at + length]) && !compound;
}

/** True when [at, at+length) lies inside an occurrence of one of the phrases. */
function insideAny(text: string, at: number, length: number, phrases: readonly string[]): boolean {
  return phrases.some((phrase) => occurrences(text, phrase).some((p) => p <= at && at + length <= p + phrase.length));
}

/** Applies an override to a configuration; every term, cue and exclusion is normalised like the text. */
export function regulatorConfigWith(override: RegulatorConfigOverride = {}, base: RegulatorConfig = DEFAULT_REGULATOR_CONFIG): RegulatorConfig {
  const norm = (x: string) => foldChinese(normaliseText(x));
  const removed = new Set((override.removeTerms ?? []).map(norm));
  const added = (override.addTerms ?? []).map((t): RegulatorTermConfig =>
    typeof t === 'string' ? { term: t, strength: 'strong', wordBounded: isLatin(t) } : t,
  );
  const extraCues = (override.addCues ?? []).map(norm);
  const extraExclusions = (override.addContextualExclusions ?? []).map(norm);
  const byTerm = new Map<string, RegulatorTermConfig>();
  for (const t of [...base.terms, ...added]) {
    const term = norm(t.term);
    if (!term || removed.has(term)) continue;
    byTerm.set(term, { ...t, term, excludeWhenPartOf: t.excludeWhenPartOf?.map(norm) });
  }
  const windowChars = override.windowChars ?? base.windowChars;
  if (!Number.isInteger(windowChars) || windowChars < 0) throw new Error(`windowChars must be a whole number ≥ 0, not ${windowChars}`);
  return {
    windowChars,
    negationWindowChars: base.negationWindowChars,
    negations: { zh: base.negations.zh.map(norm), en: base.negations.en.map(norm) },
    ultimatums: base.ultimatums,
    terms: [...byTerm.values()],
    cues: {
      zh: [...base.cues.zh.map(norm), ...extraCues.filter((c) => !isLatin(c))],
      en: [...base.cues.en.map(norm), ...extraCues.filter(isLatin)],
    },
    signals: base.signals,
    contextualExclusions: {
      zh: [...base.contextualExclusions.zh.map(norm), ...extraExclusions.filter((c) => !isLatin(c))],
      en: [...base.contextualExclusions.en.map(norm), ...extraExclusions.filter(isLatin)],
    },
  };
}

function cueNear(text: string, at: number, length: number, config: RegulatorConfig): string | undefined {
  const from = Math.max(0, at - config.windowChars);
  const to = Math.min(text.length, at + length + config.windowChars);
  // A cue that lies wholly inside the term is the term itself ('投诉' in '投诉到'), not a cue; one that spans it counts ('my lawyer').
  const outsideTerm = (p: number, cueLength: number) => !(p >= at && p + cueLength <= at + length);
  for (const cue of config.cues.zh) {
    if (occurrences(text, cue).some((p) => p >= from && p + cue.length <= to && outsideTerm(p, cue.length))) return cue;
  }
  for (const cue of config.cues.en) {
    const hit = occurrences(text, cue).some((p) => p >= from && p + cue.length <= to && outsideTerm(p, cue.length) && bounded(text, p, cue.length));
    if (hit) return cue;
  }
  return undefined;
}

/** A number term glued to letters, digits or a hyphen is part of an identifier (tracking no. 12315-77a). */
function insideIdentifier(text: string, at: number, length: number): boolean {
  const glued = (ch: string | undefined) => ch !== undefined && /[0-9a-z-]/u.test(ch);
  return glued(text[at - 1]) || glued(text[at + length]);
}

/** Inside a quoted name (《书名》, “公司名”): the words name a thing, they threaten nothing. */
function insideQuotedName(text: string, at: number): boolean {
  for (const [open, close] of [
    ['《', '》'],
    ['“', '”'],
    ['「', '」'],
  ]) {
    const opened = text.lastIndexOf(open, at);
    if (opened >= 0 && text.lastIndexOf(close, at) < opened && text.indexOf(close, at) > at) return true;
  }
  return false;
}

/**
 * A negation shortly before the term ('我不会去12315', "I'm not going to bother with a chargeback") takes the threat
 * back; so does one that ends inside the term it negates ('我不会起诉', where 起诉 is the term).
 */
function negatedBefore(text: string, at: number, length: number, config: RegulatorConfig): boolean {
  return [...config.negations.zh, ...config.negations.en].some((n) => {
    const from = Math.max(0, at - config.negationWindowChars - n.length);
    const p = text.slice(from, at + length).lastIndexOf(n) + from;
    return p >= from && p < at && at - (p + n.length) <= config.negationWindowChars;
  });
}

/** Every occurrence of a configured term that is not ruled out by its spelling (word and digit bounds, longer words, exclusions). */
export function findCandidates(text: string, config: RegulatorConfig): Candidate[] {
  const candidates: Candidate[] = [];
  const exclusions = [...config.contextualExclusions.zh, ...config.contextualExclusions.en];
  for (const t of config.terms) {
    for (const at of occurrences(text, t.term)) {
      const n = t.term.length;
      if (t.wordBounded && !bounded(text, at, n)) continue;
      if (t.digitBounded && insideIdentifier(text, at, n)) continue;
      if (t.excludeWhenPartOf && insideAny(text, at, n, t.excludeWhenPartOf)) continue;
      if (t.strength === 'contextual' && exclusions.some((e) => occurrences(text, e).some((p) => p < at + n && at < p + e.length))) continue;
      const quoted = insideQuotedName(text, at);
      const negated = negatedBefore(text, at, n, config);
      const cue = cueNear(text, at, n, config);
      candidates.push({ term: t.term, category: t.category ?? CUSTOM_CATEGORY, strength: t.strength, at, length: n, cue, negated, quoted });
    }
  }
  return candidates;
}

/** The rule alone: a strong term, or a contextual one with its cue, neither negated nor inside a quoted name. */
export function ruleVerdict(c: Candidate): boolean {
  return !c.negated && !c.quoted && (c.strength === 'strong' || c.cue !== undefined);
}

/**
 * Finds regulator mentions in already normalised text. A default term counts when the context model finds its
 * context a threat; a term added by an override (no category, unknown to the model) counts by the rule alone.
 */
export function detectRegulatorMention(normalised: string, config: RegulatorConfig, model: RegulatorContextModel = DEFAULT_REGULATOR_MODEL): RegulatorMention {
  const text = foldChinese(normalised);
  const matches: RegulatorMatch[] = [];
  for (const c of findCandidates(text, config)) {
    if (c.category === CUSTOM_CATEGORY) {
      if (ruleVerdict(c)) matches.push(matchOf(c));
      continue;
    }
    if (isRefused(text, c, config)) continue;
    const p = model.probability(candidateFeatures(text, c, config.signals));
    if (p >= model.file.threshold) matches.push({ ...matchOf(c), score: Math.round(p * 1000) / 1000 });
  }
  matches.sort((a, b) => a.at - b.at || (a.term < b.term ? -1 : 1));
  const terms = [...new Set(matches.map((m) => m.term))];
  return { mentioned: matches.length > 0, terms, matches };
}

/** Words before a refusal that make it conditional ('如果退款成功，我就不用去找消协了': the threat stands otherwise). */
const CONDITIONS = ['如果', '要是', '只要', 'if ', 'as long as', 'once '];
/** Reluctance rather than refusal ('我不想闹到法院去', "I'd rather not"): a contrast after it ('但…', 'but…') keeps the threat. */
const RELUCTANCE = ['不想', '不太想', 'rather not', "don't want to have to", 'prefer not', 'hate to', 'éviter', 'ungern', 'preferiría no', 'preferirei non'];
const CONTRASTS = ['但', '可是', '不过', 'but', 'mais', 'aber', 'pero', 'mas'];
const REFUSAL_WINDOW = 24;
/** A question mark this close after the term: the refusal is asked, not said ('你们是不是觉得我不会去消协？'). */
const ASKED_WITHIN = 8;

const sentenceBefore = (text: string, at: number): string =>
  text
    .slice(Math.max(0, at - REFUSAL_WINDOW), at)
    .split(/[。！!.？?\n]/u)
    .pop() ?? '';

/**
 * An explicit refusal ('我不会去12315', "I don't want to involve lawyers") takes the threat back, unless an ultimatum
 * follows ('… refund by Friday or I will'), a condition comes before it, a contrast follows reluctance ('我不想闹到法院去，
 * 但…'), or it is asked rather than said ('你们是不是觉得我不会去消协？').
 */
export function isRefused(text: string, c: Candidate, config: RegulatorConfig): boolean {
  if (c.quoted) return true;
  if (!c.negated) return false;
  const after = c.at + c.length;
  if (config.ultimatums.some((phrase) => phraseOffsets(text, phrase).some((p) => p >= after))) return false;
  const before = sentenceBefore(text, c.at);
  if (CONDITIONS.some((w) => before.includes(w))) return false;
  if (RELUCTANCE.some((w) => before.includes(w)) && CONTRASTS.some((w) => phraseOffsets(text, w).some((p) => p >= after))) return false;
  return !/^[^。！!.\n？?,，;；]*[？?]/u.test(text.slice(after, after + ASKED_WITHIN));
}

function matchOf(c: Candidate): RegulatorMatch {
  return c.strength === 'contextual' && c.cue ? { term: c.term, strength: c.strength, cue: c.cue, at: c.at } : { term: c.term, strength: c.strength, at: c.at };
}
