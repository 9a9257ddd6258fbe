/**
 * The sentence around a candidate regulator term, as features for the context model: whether the sentence asks
 * or states, whether the customer speaks of themselves (first person) and of a step to come or already taken,
 * combined with the term's category and with the context signals found near the term, and the sentence's words
 * (jieba words for Chinese, whole words otherwise). Generalises past the exact phrases: "how long does a
 * chargeback take?" (a question about one's own step) differs from "my friend took a shop to court once".
 */
import type { Candidate, SignalKind } from './regulator-context';
import { segmentChinese } from './segment-words';

/** The longest sentence looked at either side of the term. */
const REACH = 80;
const ENDS = new Set(['。', '！', '？', '!', '?', '；', ';', '\n']);
const CJK_RUN = /[\p{Script=Han}]+/u;
const LATIN_WORD = /[\p{Script=Latin}\p{N}]+(?:'[\p{Script=Latin}]+)?/gu;

const FIRST_ZH = /我|本人|咱/u;
const FIRST_LATIN =
  /(?<![\p{L}'])(i|i'm|i'll|i've|i'd|me|my|we|we'll|we've|our|us|je|j'|mon|ma|ich|mein|meine|meinen|mir|yo|mis|eu|meu|minha|io|mio|mia)(?![\p{L}])/u;
/** Someone else before the term in its sentence (我朋友, 表哥, "my neighbour", "she"): a story or a relative, unless the customer threatens too. */
const OTHER_ZH = /朋友|表哥|表姐|邻居|同事|家人|老公|老婆|先生|太太|妈|爸|哥|姐|弟|妹|他|她|别人|有人/u;
const OTHER_LATIN =
  /(?<![\p{L}])(he|she|they|his|her|someone|my (friend|neighbou?r|sister|brother|wife|husband|partner|mum|mom|dad|colleague|cousin|son|daughter))(?![\p{L}])/u;
const FUTURE_ZH = /会|要|将|准备|打算|马上|明天|就去|就找|只能/u;
const FUTURE_LATIN =
  /(?<![\p{L}])(will|'ll|going to|gonna|shall|about to|next|considering|thinking about|plan to|werde|gehe|vais|irai|vou|voy|vamos|farò|porto|vado)(?![\p{L}])/u;
const PAST_ZH = /了|已|过/u;
const PAST_LATIN =
  /(?<![\p{L}])(already|'ve|have|has|had|did|yesterday|last|filed|lodged|submitted|reported|opened|raised|bereits|schon|raus|déjà|j'ai|fait|ya|hecho|já|fiz|feito|già|ho|fatto)(?![\p{L}])/u;
const QUESTION_START =
  /^(how|can|could|may|is|are|do|does|did|what|why|where|which|who|should|would|wie|comment|cómo|como|quanto|cuánto|请问|是否|能不能|可以吗)(?![\p{L}])/u;
const QUESTION_END = /[吗呢么][。？?！!]?$/u;
/** A question about how to take a step oneself ("how do I …", "can my bank …", 需要准备什么, 多久能): considering it. */
const ASK_HOW =
  /(?<![\p{L}])(how (do|can|would|should) (i|we)|can i|could i|should i|can my|do i need|how long|how much|what's the process|what is the process|is it worth|is it too late|time limit|the way to go|comment (on fait|faire|je peux)|est-ce que je peux|come si fa|come posso|wie läuft|wie kann ich|cómo (se|puedo)|como (faço|posso))(?![\p{L}])|需要准备|怎么|如何|多久|能不能|可不可以|可以吗|流程|步骤|是不是要|要先/u;
/** A step named in the sentence (the term included): disputing, reversing, suing, filing, 拒付, 起诉, 撤回. */
const STEP_WORD =
  /(?<![\p{L}])(dispute|disputing|reverse|reversing|reversed|chargeback|claim|sue|suing|file|filing|open|report|complain|lodge|start|arbitration|contester|contesté|contesterai|contestare|saisir|denuncio|beschwerde|klage|plainte|reclamação|reclamación|queja|segnalazione)(?![\p{L}])|起诉|拒付|撤回|退单|投诉|申请|立案|举报|诉讼|冻结/u;
/** Money words of an ordinary refund or payment question (退款到账, "refund to my card", a fee). */
const MONEY_WORD = /(?<![\p{L}])(refund|refunds|refunded|fee|fees|points|pay|instalments?)(?![\p{L}])|退款|到账|手续费|分期|还款|付款/u;

/** Start and end (exclusive, the end mark included) of the sentence holding [at, at + length). */
export function sentenceAround(text: string, at: number, length: number): { from: number; to: number } {
  let from = at;
  while (from > 0 && at - from < REACH && !ENDS.has(text[from - 1]) && !(text[from - 1] === ' ' && text[from - 2] === '.')) from -= 1;
  let to = at + length;
  while (to < text.length && to - at < REACH && !ENDS.has(text[to]) && !(text[to] === '.' && (to + 1 === text.length || text[to + 1] === ' '))) to += 1;
  if (to < text.length && (ENDS.has(text[to]) || text[to] === '.')) to += 1;
  return { from, to };
}

/** Jieba words for Chinese runs, whole words for Latin ones. */
function words(span: string): string[] {
  const out: string[] = [];
  for (const part of span.split(/([\p{Script=Han}]+)/u)) {
    if (!part) continue;
    if (CJK_RUN.test(part)) out.push(...(part.length === 1 ? [part] : segmentChinese(part)));
    else out.push(...(part.match(LATIN_WORD) ?? []));
  }
  return out;
}

export function sentenceFeatures(text: string, c: Candidate, near: ReadonlySet<SignalKind>): string[] {
  const { from, to } = sentenceAround(text, c.at, c.length);
  const sentence = text.slice(from, to).trim();
  const rest = `${text.slice(from, c.at)} ${text.slice(c.at + c.length, to)}`;
  const question = /[?？]/u.test(sentence) || QUESTION_START.test(sentence) || QUESTION_END.test(sentence);
  const first = FIRST_ZH.test(rest) || FIRST_LATIN.test(rest);
  const future = FUTURE_ZH.test(rest) || FUTURE_LATIN.test(rest);
  const past = PAST_ZH.test(rest) || PAST_LATIN.test(rest);
  const left = text.slice(from, c.at);
  const other = OTHER_ZH.test(left) || OTHER_LATIN.test(left);
  const mood = question ? 'q' : 's';
  const who = first ? 'first' : 'none';
  const features = [`mood:${mood}`, `who:${who}`, `mood:${mood}:${who}`, `mood:${mood}:${c.category}`];
  if (future) features.push(`tense:future:${who}`);
  if (past) features.push(`tense:past:${who}`);
  if (future && question) features.push('tense:future:q');
  if (other) features.push(`other:${past ? 'past' : future ? 'future' : 'now'}`, `other:${c.category}`);
  for (const kind of near) features.push(`near:${kind}:${mood}`);
  if (question) features.push(...askFeatures(sentence, c));
  for (const w of words(rest)) features.push(`S:${w}`);
  return features;
}

/** A question's kind: how to take a step oneself, a step named, or money alone (a refund to a card). */
function askFeatures(sentence: string, c: Candidate): string[] {
  const how = ASK_HOW.test(sentence);
  const step = STEP_WORD.test(sentence);
  const money = MONEY_WORD.test(sentence);
  const features = [`ask:${how ? 'how' : 'other'}:${step ? 'step' : 'nostep'}`, `ask:${step ? 'step' : 'nostep'}:${c.category}`];
  if (money && !step) features.push(`ask:money:${c.category}`);
  if (how && step) features.push(`ask:how-step:${c.strength}`);
  return features;
}
