/**
 * The analyser as a whole: versioned, deterministic, language-aware, and every decision carries its evidence.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { TRIAGE_ANALYSER_VERSION, TriageAnalyser, detectLanguage, normaliseText, type Triage } from '@aftersales/triage';

const analyser = new TriageAnalyser();
const analyse = (text: string): Triage => analyser.analyse({ text });

describe('triage analyser', () => {
  it('exports its version and stamps it on every analysis', () => {
    expect(TRIAGE_ANALYSER_VERSION).toMatch(/^triage-\d+\.\d+\.\d+$/u);
    expect(analyse('屏幕坏了').analyserVersion).toBe(TRIAGE_ANALYSER_VERSION);
  });

  it('given the same text, when analysed again or by another analyser, then the answer is identical', () => {
    const texts = [
      '手机用了三天就黑屏，客服态度很差，再不处理我就打12315投诉！',
      "I'm not happy: the kettle leaks and nobody replied. Refund me or I'll file a chargeback.",
      'Thanks, the replacement works great.',
    ];
    for (const text of texts) {
      const first = analyse(text);
      expect(analyse(text)).toEqual(first);
      expect(new TriageAnalyser().analyse({ text })).toEqual(first);
    }
  });

  it.each([
    ['屏幕坏了，要求退货', 'zh'],
    ['iPhone 屏幕坏了', 'zh'],
    ['The screen is broken, I want to return it', 'en'],
    ['I will complain to 消协 about this order', 'en'],
    ['12345', 'en'],
  ])('detects the language of %s as %s', (text, language) => {
    expect(detectLanguage(normaliseText(text)).language).toBe(language);
    expect(analyse(text).language).toBe(language);
  });

  it('normalises full-width characters, case and spaces between Chinese characters', () => {
    expect(normaliseText('  ＡＢＣ　１２３１５ 消 费 者 协 会  Ombudsman ')).toBe('abc 12315 消费者协会 ombudsman');
  });

  it.each([
    ['质量很好，非常满意，物流也快', 'POSITIVE'],
    ['质量太差了，用了两天就坏，非常失望', 'NEGATIVE'],
    ['Excellent service, thank you so much!', 'POSITIVE'],
    ['I am not happy with this at all.', 'NEGATIVE'],
    ['The blender arrived broken and nobody answers my emails.', 'NEGATIVE'],
    ['Please send me the invoice for order 4411.', 'NEUTRAL'],
  ])('reads the sentiment of "%s" as %s, with the words that drove it', (text, label) => {
    const { sentiment } = analyse(text);
    expect(sentiment.label).toBe(label);
    expect(sentiment.score).toBeGreaterThanOrEqual(-1);
    expect(sentiment.score).toBeLessThanOrEqual(1);
    if (label !== 'NEUTRAL') expect(sentiment.evidence.length).toBeGreaterThan(0);
  });

  it('turns a negated word around', () => {
    expect(analyse('I am happy with it.').sentiment.label).toBe('POSITIVE');
    expect(analyse('I am not happy with it.').sentiment.evidence).toContainEqual({ feature: 'not_happy', weight: expect.any(Number) });
  });

  it.each([
    ['衣服尺码不对，申请七天无理由退货', 'RETURN', '七天无理由'],
    ['想换成黑色的，可以换货吗', 'EXCHANGE', '换货'],
    ['重复扣款了，请退款', 'REFUND', '退款'],
    ['The laptop hinge snapped, please repair it.', 'REPAIR', 'repair'],
    ['It is eleven months old and still under warranty.', 'WARRANTY', 'under warranty'],
    ['How do I pair the speaker over bluetooth?', 'TECH_SUPPORT', 'bluetooth'],
    ['快递员态度恶劣，我要投诉', 'COMPLAINT', '投诉'],
  ])('suggests the type of "%s" as %s because of %s', (text, type, word) => {
    const { suggestedType } = analyse(text);
    expect(suggestedType.type).toBe(type);
    expect(suggestedType.evidence).toContain(word);
    expect(suggestedType.confidence).toBeGreaterThan(0);
  });

  it('suggests a priority with its reasons', () => {
    expect(analyse('我要打12315投诉').suggestedPriority).toEqual({ priority: 'URGENT', evidence: ['regulator mention: 12315'] });
    expect(analyse('充电器冒烟了').suggestedPriority).toMatchObject({ priority: 'URGENT', evidence: ['safety hazard: 冒烟'] });
    expect(analyse('Please fix it urgently, I need it for work.').suggestedPriority).toMatchObject({ priority: 'HIGH' });
    expect(analyse('How do I reset the router?').suggestedPriority).toEqual({ priority: 'LOW', evidence: ['neutral how-to question'] });
  });

  it('given earlier cases, when the same customer complains about the same order again, then it is a repeat complaint', () => {
    const priorCases = [
      { caseId: 'case-2', customerId: 'c-1', orderId: 'o-1', openedAt: '2026-03-02T00:00:00.000Z' },
      { caseId: 'case-1', customerId: 'c-1', orderId: 'o-1', openedAt: '2026-03-01T00:00:00.000Z' },
      { caseId: 'case-3', customerId: 'c-1', orderId: 'o-2' },
      { caseId: 'case-4', customerId: 'c-2', orderId: 'o-1' },
    ];
    const triage = analyser.analyse({ text: 'Still broken.', caseId: 'case-5', customerId: 'c-1', orderId: 'o-1', priorCases });
    expect(triage.repeatComplaint).toEqual({ repeat: true, priorCaseIds: ['case-1', 'case-2'] });
    expect(triage.suggestedPriority.evidence).toContain('repeat complaint: earlier case case-1, case-2');
    const first = analyser.analyse({ text: 'Broken.', caseId: 'case-9', customerId: 'c-3', orderId: 'o-9', priorCases });
    expect(first.repeatComplaint).toEqual({ repeat: false, priorCaseIds: [] });
  });

  it('analyses a very long text up to its limit and says so', () => {
    const triage = analyse('质量很差。'.repeat(5000));
    expect(triage.truncated).toBe(true);
    expect(triage.sentiment.label).toBe('NEGATIVE');
  });

  it('ships a small trained model', () => {
    const size = statSync(join(__dirname, '..', 'src', 'sentiment-model.zh.json')).size;
    expect(size).toBeLessThan(2 * 1024 * 1024);
  });
});
