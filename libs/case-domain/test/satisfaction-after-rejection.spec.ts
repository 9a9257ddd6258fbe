/**
 * Satisfaction on a case that was rejected, then closed (docs/lifecycle-and-sla.md, "Satisfaction and the L1
 * review"): the customer may rate it once it is closed, and a score of 2 or less asks for the same L1 review as on
 * a resolved case — the team lead reviews the rejection. A rejected case not yet closed takes no rating.
 */
import { IllegalTransitionError } from '../src';
import { act, customer, storiesTo } from './case-test-kit';

const rejectedThenClosed = () => storiesTo.REJECTED().run(act('close', {}));

describe('Satisfaction on a rejected-then-closed case', () => {
  it('given a rejected, closed case, when the customer rates it 2, then satisfaction is recorded and an L1 review follows', () => {
    const events = rejectedThenClosed().when(act('record-satisfaction', { score: 2, comment: 'Unfair' }, customer));
    expect(events).toEqual([
      { type: 'SatisfactionRecorded', data: { score: 2, comment: 'Unfair' }, actor: customer },
      {
        type: 'CaseEscalated',
        data: { level: 'L1', previousLevel: 'L0', reason: 'LOW_SATISFACTION', automatic: true },
        actor: { type: 'system', id: 'escalation-policy' },
      },
    ]);
  });

  it('given a rejected, closed case, when the customer rates it 3, then only the satisfaction is recorded', () => {
    const events = rejectedThenClosed().when(act('record-satisfaction', { score: 3 }, customer));
    expect(events.map((e) => e.type)).toEqual(['SatisfactionRecorded']);
  });

  it('given a resolved case, a score of 2 asks for the same review (one rule for both endings)', () => {
    const events = storiesTo.RESOLVED().when(act('record-satisfaction', { score: 1 }, customer));
    expect(events.map((e) => [e.type, (e.data as { reason?: string }).reason])).toEqual([
      ['SatisfactionRecorded', undefined],
      ['CaseEscalated', 'LOW_SATISFACTION'],
    ]);
  });

  it('given a rejected case not yet closed, when the customer rates it, then it is refused with the actions allowed', () => {
    const story = storiesTo.REJECTED();
    expect(() => story.decide(act('record-satisfaction', { score: 1 }, customer))).toThrow(IllegalTransitionError);
    expect(() => story.decide(act('record-satisfaction', { score: 1 }, customer))).toThrow(/allowed: reopen, close/);
  });

  it('given a rejected, closed and rated case, the rating is kept on the case and cannot be given twice', () => {
    const story = rejectedThenClosed().run(act('record-satisfaction', { score: 2 }, customer));
    expect(story.state).toMatchObject({ status: 'CLOSED', satisfaction: { score: 2 }, rejection: { reasonCode: 'OUT_OF_WARRANTY' }, escalationLevel: 'L1' });
    expect(() => story.decide(act('record-satisfaction', { score: 5 }, customer))).toThrow(IllegalTransitionError);
  });
});
