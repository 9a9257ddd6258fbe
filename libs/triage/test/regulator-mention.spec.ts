/**
 * Regulator mention: every default term is found, in full-width and spaced-out forms too; words that only look
 * like a regulator are not; an override adds and removes terms; a malformed override is refused.
 */
import {
  DEFAULT_REGULATOR_CONFIG,
  TriageAnalyser,
  detectRegulatorMention,
  normaliseText,
  parseRegulatorOverride,
  regulatorConfigWith,
} from '@aftersales/triage';

const analyser = new TriageAnalyser();
const mention = (text: string) => analyser.analyse({ text }).regulatorMention;
const isLatin = (term: string) => /^[\x20-\x7e]+$/u.test(term);

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
      expect(found.terms).toContain(normaliseText(term));
      expect(found.evidence.find((m) => m.term === normaliseText(term))?.strength).toBe(strength);
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
    expect(found.evidence).toEqual([expect.objectContaining({ term: 'lawyer', strength: 'contextual', cue: expect.any(String) })]);
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
});
