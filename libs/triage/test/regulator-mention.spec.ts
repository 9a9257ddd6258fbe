/**
 * Regulator mention: every default term is found, in full-width and spaced-out forms too; words that only look
 * like a regulator are not; an override adds and removes terms; a malformed override is refused.
 */
import {
  DEFAULT_REGULATOR_CONFIG,
  DEFAULT_REGULATOR_MODEL,
  candidateFeatures,
  findCandidates,
  sentenceAround,
  sentenceFeatures,
  TriageAnalyser,
  detectRegulatorMention,
  foldChinese,
  normaliseText,
  parseRegulatorOverride,
  regulatorConfigWith,
} from '@aftersales/triage';
import { isRefused } from '../src/regulator-mention';

const analyser = new TriageAnalyser();
const mention = (text: string) => analyser.analyse({ text }).regulatorMention;
const isLatin = (term: string) => /^[\x20-\x7e]+$/u.test(term);

/** The sentence features of a text's candidate `term`, under the built-in terms. */
function featuresOf(raw: string, term: string): string[] {
  const text = foldChinese(normaliseText(raw));
  const candidate = findCandidates(text, regulatorConfigWith({})).find((c) => c.term === term);
  if (!candidate) throw new Error(`no candidate ${term} in ${raw}`);
  return sentenceFeatures(text, candidate, new Set());
}

describe('regulator mention', () => {
  it('has the required terms among its defaults', () => {
    const terms = DEFAULT_REGULATOR_CONFIG.terms.map((t) => t.term.toLowerCase());
    for (const required of ['12315', '消费者协会', '消协', '市场监管', '工商', '媒体曝光', '律师', 'ombudsman', 'procon', 'lawyer', 'chargeback']) {
      expect(terms).toContain(required);
    }
  });

  it.each(DEFAULT_REGULATOR_CONFIG.terms.map((t) => [t.term, t.strength] as const))(
    'given the default term %s (%s), when a customer uses it as a threat, then it is the matched term',
    (term, strength) => {
      const text = isLatin(term)
        ? strength === 'strong'
          ? `Fix this now. ${term} is where this goes next.`
          : `Unless you fix this I will contact ${term} about it.`
        : strength === 'strong'
          ? `再不处理，${term}那边见。`
          : `再不处理，我就找${term}投诉你们。`;
      const found = mention(text);
      expect(found.mentioned).toBe(true);
      // Terms are matched normalised and with traditional characters folded to simplified ones (訴訟 → 诉讼).
      const matched = foldChinese(normaliseText(term));
      expect(found.terms).toContain(matched);
      expect(found.evidence.find((m) => m.term === matched)?.strength).toBe(strength);
    },
  );

  it.each([
    ['full-width digits', '我已经打了１２３１５。', '12315'],
    ['a space inside a Chinese term', '不退款我就去消 协。', '消协'],
    ['an ideographic space inside a Chinese term', '我会去消费者\u3000协会反映。', '消费者协会'],
    ['capitals', 'The Ombudsman will hear about this.', 'ombudsman'],
    ['full-width Latin letters', 'ＰＲＯＣＯＮ has my complaint.', 'procon'],
    [
      'a term in the middle of a long complaint',
      'The parcel was late, the box was crushed and, as I told your agent, I filed with Procon yesterday.',
      'procon',
    ],
  ])('tolerates %s', (_case, text, term) => {
    expect(mention(text)).toMatchObject({ mentioned: true, terms: expect.arrayContaining([term]) });
  });

  it.each([
    ['a bank named 工商', '我用工商银行的卡付款，请问退款退到哪里？'],
    ['an order number containing 12315', '订单号8123159，请帮我查一下物流。'],
    ['a lawyer by profession', "I'm a lawyer and I need the invoice addressed to my firm."],
    ['a device part', 'The voltage regulator in the charger is buzzing.'],
    ['a court that is a place', 'Please deliver to the food court entrance.'],
    ['multimedia', '电视的多媒体功能不能用，怎么设置？'],
  ])('is not raised by %s', (_case, text) => {
    expect(mention(text)).toEqual({ mentioned: false, terms: [], evidence: [] });
  });

  it('names a contextual term only with the cue that made it count', () => {
    const found = mention('Shall I get my lawyer involved?');
    expect(found.evidence).toEqual(expect.arrayContaining([expect.objectContaining({ term: 'lawyer', strength: 'contextual', cue: expect.any(String) })]));
  });

  it('given an override, when it adds and removes terms, then matching follows it', () => {
    const config = regulatorConfigWith({ addTerms: ['Defensoria', { term: '315晚会', strength: 'strong' }], removeTerms: ['Chargeback'] });
    expect(detectRegulatorMention(normaliseText('I will write to the DEFENSORIA.'), config).terms).toEqual(['defensoria']);
    expect(detectRegulatorMention(normaliseText('我要上３１５晚会'), config).terms).toEqual(['315晚会']);
    expect(detectRegulatorMention(normaliseText('I am filing a chargeback.'), config).mentioned).toBe(false);
    const custom = new TriageAnalyser({ regulator: { addTerms: ['defensoria'] } });
    expect(custom.analyse({ text: 'Defensoria next.' }).regulatorMention.terms).toEqual(['defensoria']);
    expect(analyser.analyse({ text: 'Defensoria next.' }).regulatorMention.mentioned).toBe(false);
  });

  it.each([
    [[], 'must be a JSON object'],
    [{ addTerm: ['x'] }, 'unknown keys addTerm'],
    [{ addTerms: [{ term: 'x', strength: 'loud' }] }, 'addTerms must list'],
    [{ removeTerms: [''] }, 'removeTerms must be a list of non-empty strings'],
    [{ windowChars: -1 }, 'windowChars must be a whole number'],
  ])('refuses the malformed override %j', (override, message) => {
    expect(() => parseRegulatorOverride(override)).toThrow(message);
  });

  it.each([
    ['traditional characters', '我會去消費者協會投訴你們。', '消费者协会'],
    ['Chinese numerals for a hotline', '给你们最后一天时间，否则一二三一五见。', '12315'],
    ['a regulator named in full', '你们再拖着不退款，我明天就去市场监督管理局投诉。', '市场监督管理'],
    ['a consumer body abroad', 'Sans remboursement sous huit jours, je saisis la DGCCRF.', 'dgccrf'],
    ['a payment dispute', "I've asked my bank to reverse the payment because the goods never arrived.", 'reverse the payment'],
  ])('given %s, when it is a threat, then it is found with the context model score', (_case, text, term) => {
    const found = mention(text);
    expect(found.terms).toContain(term);
    expect(found.evidence.find((m) => m.term === term)?.score).toBeGreaterThanOrEqual(DEFAULT_REGULATOR_MODEL.file.threshold);
  });

  it.each([
    ['a refusal in Portuguese', 'Não vou ao Procon, só quero a troca do produto.'],
    ['a refusal in Chinese', '你们放心，我不会去12315投诉的，只是希望尽快换货。'],
    ['a book title in quotes', '书名叫《律师函写作指南》，我收到的这本缺页，能换一本吗？'],
  ])('is not raised by %s, whatever the model says', (_case, text) => {
    expect(mention(text).mentioned).toBe(false);
  });

  it('given a refusal followed by an ultimatum, then the threat stands', () => {
    expect(mention("I'd rather not go to trading standards, but refund me by Friday or I will.").mentioned).toBe(true);
  });

  it('given reluctance followed by a contrast, a condition before a refusal, or a refusal asked as a question, then the candidate is not refused', () => {
    const config = regulatorConfigWith({});
    const refused = (raw: string, term: string) => {
      const text = foldChinese(normaliseText(raw));
      const c = findCandidates(text, config).find((x) => x.term === term);
      return c === undefined ? undefined : isRefused(text, c, config);
    };
    expect(refused('我不想闹到法院去，但你们一直这样我也没办法。', '法院')).toBe(false);
    expect(refused('如果退款成功，我就不用去找消协了。', '消协')).toBe(false);
    expect(refused('你们是不是觉得我不会去消协？我已经在填表了', '消协')).toBe(false);
    expect(refused('我不会起诉你们的，大家都不容易，但请尽快给我回个话。', '起诉')).toBe(true);
    expect(refused("I'd rather not get the authorities involved over a pair of shoes; can we just fix this?", 'the authorities')).toBe(true);
  });

  it('given 幺 for one, a hotline number in groups or a pinyin homophone of 消协, then folding finds the term at the same offsets', () => {
    for (const [raw, folded] of [
      ['我已经打了幺二三幺五', '我已经打了12315'],
      ['12 315 已经打了', '12315  已经打了'],
      ['我只能去销协了', '我只能去消协了'],
      ['推销协议', '推销协议'],
      ['order 112 315', 'order 112 315'],
    ]) {
      expect(foldChinese(normaliseText(raw))).toBe(folded);
    }
  });

  it('given a candidate term, then its features name its category, the rule signals and the words either side', () => {
    const config = regulatorConfigWith({});
    const text = normaliseText('收货地址是工商局对面的小区。');
    const [candidate] = findCandidates(text, config).filter((c) => c.term === '工商局');
    const features = candidateFeatures(text, candidate, config.signals);
    expect(features).toEqual(expect.arrayContaining(['cat:regulator', 'str:strong', 'term:工商局', 'place:R', 'L:地址', 'R:对面']));
    expect(DEFAULT_REGULATOR_MODEL.probability(features)).toBeLessThan(DEFAULT_REGULATOR_MODEL.probability(features.filter((f) => f !== 'place:R')));
  });

  it.each([
    ['a relative who works at the body', '我表姐在消协工作，她说你们家的售后口碑很好。'],
    ['an address next to the regulator', '快递请放在市场监管局对面的驿站。'],
    ['a threat withdrawn once the refund came', '上次说要去12315是我太着急了，现在已经退款了，谢谢你们。'],
    ['a refusal that "就" does not take back', '我不打算找律师，就想换个新的。'],
    ['a question about where a refund goes', 'What bank account will my refund go to?'],
    ['a newspaper as the place an advert was read', 'I read your review in the local newspaper and ordered the lamp.'],
    ['a profession and a place to send the invoice', "I'm a solicitor; please send the invoice to my chambers."],
  ])('given %s, then no mention is raised', (_case, text) => {
    expect(mention(text)).toEqual({ mentioned: false, terms: [], evidence: [] });
  });

  it.each([
    ['a question about their own chargeback after a long wait', "How long does a chargeback take? I've waited a month for this refund.", 'chargeback'],
    ['a question about 拒付 with an ultimatum', '拒付要多久才有结果？你们再不退款我就去申请。', '拒付'],
    ['a complaint already lodged, in traditional characters', '我已經向消費者協會投訴了，編號在這裡。', '消费者协会'],
  ])('given %s, then the mention names the term with a score at or above the threshold', (_case, text, term) => {
    const found = mention(text);
    expect(found.mentioned).toBe(true);
    const evidence = found.evidence.find((m) => m.term === term);
    expect(evidence?.score).toBeGreaterThanOrEqual(DEFAULT_REGULATOR_MODEL.file.threshold);
  });

  it('given single letters written apart or a negation that ends inside its term, then matching and refusals see through them', () => {
    const config = regulatorConfigWith({});
    const folded = foldChinese(normaliseText("I'll have no choice but to file with the C C P C."));
    expect(folded).toHaveLength(normaliseText("I'll have no choice but to file with the C C P C.").length);
    expect(findCandidates(folded, config).map((c) => c.term)).toContain('ccpc');
    const refused = (raw: string, term: string) => findCandidates(foldChinese(normaliseText(raw)), config).find((c) => c.term === term)?.negated;
    expect(refused('我不会起诉你们的，大家都不容易。', '起诉')).toBe(true);
    expect(refused("I'm not going to bother with a chargeback, I just want the right size.", 'chargeback')).toBe(true);
    expect(refused('再不退款我就起诉你们。', '起诉')).toBe(false);
  });

  it.each([
    ['a request to pass the case to a department of the company', '这个问题请转交有关部门，我等你们的答复。'],
    ['a message passed to a manager', '麻烦转告你们主管，这个问题已经反映三次了。'],
    ['a bank holiday', "My bank holiday order hasn't shipped yet."],
  ])('given %s, then the words are no candidate', (_case, text) => {
    expect(findCandidates(foldChinese(normaliseText(text)), regulatorConfigWith({}))).toEqual([]);
  });

  it('given a question, then its features tell how to take a step from a question about money alone', () => {
    expect(featuresOf('Can my bank reverse a payment if the goods never arrived?', 'bank')).toEqual(
      expect.arrayContaining(['ask:how:step', 'ask:how-step:contextual']),
    );
    expect(featuresOf('How long does a refund take to go back to my Visa?', 'visa')).toEqual(expect.arrayContaining(['ask:how:nostep', 'ask:money:payment']));
    expect(featuresOf('我表哥去年把一家装修公司告上法庭了。', '告上法庭')).toEqual(expect.arrayContaining(['other:past', 'other:legal']));
  });

  it('given a candidate term, then its sentence tells question from statement, who speaks and when, and its words', () => {
    expect(featuresOf('Thanks for the help. How long does a chargeback take?', 'chargeback')).toEqual(
      expect.arrayContaining(['mood:q', 'who:none', 'mood:q:payment', 'S:how', 'S:take']),
    );
    const statement = featuresOf('退款拖了一个月。我明天就去消协投诉。', '消协');
    expect(statement).toEqual(expect.arrayContaining(['mood:s', 'who:first', 'tense:future:first', 'S:投诉']));
    expect(statement).not.toContain('S:退款');
    const text = normaliseText('Order late. I will call the ombudsman. Bye.');
    expect(text.slice(...Object.values(sentenceAround(text, text.indexOf('ombudsman'), 9)))).toBe('i will call the ombudsman.');
  });
});
