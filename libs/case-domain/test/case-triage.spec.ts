/**
 * Triage at opening (SPEC section 4): the triage the application computed is recorded as `CaseTriaged` right
 * after `CaseOpened`, kept on the case, and its regulator mention — not a bare word list — drives the L3 rule.
 */
import { TriageAnalyser } from '@aftersales/triage';
import type { CaseCommand, OpenCasePayload } from '../src';
import { CASE_ID, Story, openPayload } from './case-test-kit';

const analyser = new TriageAnalyser();

function openTriaged(over: Partial<OpenCasePayload>): CaseCommand {
  const payload = openPayload(over);
  const triage = analyser.analyse({ text: `${payload.reason}\n${payload.description}`, caseId: CASE_ID, ...payload });
  return { type: 'open', caseId: CASE_ID, actor: { type: 'service', id: 'web-shop' }, payload, triage };
}

describe('triage when a case opens', () => {
  it('given a triaged opening, then CaseTriaged follows CaseOpened with the analyser version and is kept on the case', () => {
    const command = openTriaged({ reason: '尺码不对', description: '鞋子小了一码，想换大一码。' });
    const story = new Story();
    const events = story.when(command);
    expect(events.map((e) => e.type)).toEqual(['CaseOpened', 'CaseTriaged']);
    expect(events[1]).toEqual({
      type: 'CaseTriaged',
      data: command.type === 'open' ? command.triage : undefined,
      actor: { type: 'system', id: 'triage' },
    });
    expect(events[1].data).toMatchObject({ analyserVersion: expect.stringMatching(/^triage-/u), language: 'zh' });
    story.run(command);
    expect(story.state.triage?.suggestedType.type).toBe('EXCHANGE');
    expect(story.state.revision).toBe(1);
  });

  it('given a text that names a regulator, when the case opens, then it is escalated straight to L3', () => {
    const events = new Story().when(openTriaged({ reason: '屏幕坏了', description: '再不处理我就去消 协投诉！' }));
    expect(events.map((e) => [e.type, (e.data as { level?: string }).level])).toEqual([
      ['CaseOpened', undefined],
      ['CaseTriaged', undefined],
      ['CaseEscalated', 'L3'],
    ]);
    expect(events[1].data).toMatchObject({ regulatorMention: { mentioned: true, terms: ['消协'] } });
  });

  it('given a regulator-like word that triage does not read as a mention, then the case is not escalated', () => {
    const command = openTriaged({ reason: 'Charger fault', description: 'The voltage regulator in the charger is buzzing.' });
    expect(new Story().when(command).map((e) => e.type)).toEqual(['CaseOpened', 'CaseTriaged']);
  });

  it('given no triage (an application without the analyser), then the configured regulator terms still decide', () => {
    const events = new Story().when({
      type: 'open',
      caseId: CASE_ID,
      actor: { type: 'service', id: 'web-shop' },
      payload: openPayload({ description: '我要打12315投诉' }),
    });
    expect(events.map((e) => e.type)).toEqual(['CaseOpened', 'CaseEscalated']);
  });
});
