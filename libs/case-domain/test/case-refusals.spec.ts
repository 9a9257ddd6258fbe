import { BusinessRuleError, CASE_ACTIONS, CaseAlreadyExistsError, CaseAction, IllegalTransitionError, allowedActions } from '../src';
import { Story, act, customer, open, sampleCommands, storiesTo } from './case-test-kit';

/** What each state accepts, written out by hand from the spec's lifecycle. */
const EXPECTED_ALLOWED: Record<keyof typeof storiesTo, CaseAction[]> = {
  OPEN: ['acknowledge', 'customer-message', 'escalate', 'reject', 'withdraw'],
  ACKNOWLEDGED: ['assign', 'reply', 'request-info', 'customer-message', 'escalate', 'reject', 'withdraw'],
  IN_PROGRESS: [
    'assign',
    'reply',
    'request-info',
    'customer-message',
    'escalate',
    'propose-resolution',
    'authorize-return',
    'grant-compensation',
    'reject',
    'withdraw',
  ],
  AWAITING_CUSTOMER: ['assign', 'reply', 'customer-message', 'escalate', 'reject', 'withdraw'],
  RESOLUTION_PROPOSED: ['assign', 'reply', 'customer-message', 'escalate', 'propose-resolution', 'accept-resolution', 'reject-resolution', 'withdraw'],
  REFUND_ACCEPTED: [
    'assign',
    'reply',
    'request-info',
    'customer-message',
    'escalate',
    'propose-resolution',
    'authorize-return',
    'issue-refund',
    'grant-compensation',
    'resolve',
    'reject',
    'withdraw',
  ],
  RESOLVED: ['grant-compensation', 'reopen', 'record-satisfaction', 'close'],
  CLOSED: ['record-satisfaction', 'record-follow-up'],
  REJECTED: ['reopen', 'close'],
  WITHDRAWN: [],
  REOPENED: [
    'assign',
    'reply',
    'request-info',
    'customer-message',
    'escalate',
    'propose-resolution',
    'authorize-return',
    'grant-compensation',
    'reject',
    'withdraw',
  ],
};

describe('Illegal transitions are refused with the allowed actions', () => {
  for (const [stateName, story] of Object.entries(storiesTo)) {
    const expected = EXPECTED_ALLOWED[stateName as keyof typeof storiesTo];

    it(`${stateName} allows exactly: ${expected.join(', ') || 'nothing'}`, () => {
      expect(allowedActions(story().state)).toEqual(expected);
    });

    const refused = CASE_ACTIONS.filter((action) => !expected.includes(action));
    it.each(refused)(`given a case ${stateName}, when %s, then it is refused naming the allowed actions`, (action) => {
      const s = story();
      const attempt = () => s.decide(sampleCommands[action]);
      expect(attempt).toThrow(IllegalTransitionError);
      try {
        attempt();
      } catch (error) {
        expect(error).toMatchObject({ code: 'ILLEGAL_TRANSITION', status: s.state.status, action, allowedActions: expected });
      }
    });
  }

  it('actions on a case that does not exist are refused with nothing allowed', () => {
    expect(() => new Story().decide(sampleCommands.acknowledge)).toThrow(IllegalTransitionError);
  });

  it('opening a case twice is refused', () => {
    expect(() => storiesTo.OPEN().decide(open())).toThrow(CaseAlreadyExistsError);
  });

  it('satisfaction is recorded once only', () => {
    const story = storiesTo.RESOLVED().run(act('record-satisfaction', { score: 4 }, customer));
    expect(() => story.decide(act('record-satisfaction', { score: 5 }, customer))).toThrow(IllegalTransitionError);
  });

  it('return-shipped needs an authorised return; return-received a shipped or authorised one', () => {
    const story = storiesTo.IN_PROGRESS();
    expect(() => story.decide(sampleCommands['return-shipped'])).toThrow(IllegalTransitionError);
    story.run(act('authorize-return', {}), act('return-shipped', { carrier: 'DHL', trackingNumber: 'T' }));
    expect(() => story.decide(sampleCommands['return-shipped'])).toThrow(IllegalTransitionError);
    expect(() => story.decide(sampleCommands['authorize-return'])).toThrow(IllegalTransitionError);
  });

  it('a replacement ships once; a repair completes once', () => {
    const replacement = storiesTo
      .IN_PROGRESS()
      .run(act('propose-resolution', { kind: 'REPLACEMENT' }), act('accept-resolution', {}, customer), sampleCommands['ship-replacement']);
    expect(() => replacement.decide(sampleCommands['ship-replacement'])).toThrow(IllegalTransitionError);
    const repair = storiesTo
      .IN_PROGRESS()
      .run(act('propose-resolution', { kind: 'REPAIR' }), act('accept-resolution', {}, customer), sampleCommands['complete-repair']);
    expect(() => repair.decide(sampleCommands['complete-repair'])).toThrow(IllegalTransitionError);
  });

  it('nothing escalates past L3', () => {
    const story = storiesTo.IN_PROGRESS().run(act('escalate', { level: 'L3', reason: 'Regulator' }));
    expect(() => story.decide(act('escalate', { level: 'L3', reason: 'again' }))).toThrow(IllegalTransitionError);
  });
});

function ruleOf(attempt: () => unknown): string {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(BusinessRuleError);
    return (error as BusinessRuleError).rule;
  }
  throw new Error('expected a business rule refusal, but the command was accepted');
}

describe('Business rules are refused naming the rule', () => {
  it('a refund beyond what the items are worth (2 × 50) is refused', () => {
    const story = storiesTo.REFUND_ACCEPTED().run(act('issue-refund', { amount: 80, currency: 'EUR' }));
    expect(ruleOf(() => story.decide(act('issue-refund', { amount: 20.01, currency: 'EUR' })))).toBe('REFUND_EXCEEDS_ITEMS_VALUE');
    expect(story.decide(act('issue-refund', { amount: 20, currency: 'EUR' }))[0].type).toBe('RefundIssued');
  });

  it('a refund beyond the accepted partial amount is refused', () => {
    const story = storiesTo
      .IN_PROGRESS()
      .run(act('propose-resolution', { kind: 'PARTIAL_REFUND', amount: 30, currency: 'EUR' }), act('accept-resolution', {}, customer));
    expect(ruleOf(() => story.decide(act('issue-refund', { amount: 31, currency: 'EUR' })))).toBe('REFUND_EXCEEDS_ACCEPTED_AMOUNT');
  });

  it('a refund in another currency is refused', () => {
    expect(ruleOf(() => storiesTo.REFUND_ACCEPTED().decide(act('issue-refund', { amount: 5, currency: 'USD' })))).toBe('CURRENCY_MISMATCH');
  });

  it('a refund on a case with no items and no accepted amount is refused', () => {
    const story = new Story().run(
      open({ items: [] }),
      act('acknowledge', {}),
      act('reply', { message: 'hi' }),
      act('propose-resolution', { kind: 'REFUND' }),
      act('accept-resolution', {}, customer),
    );
    expect(ruleOf(() => story.decide(act('issue-refund', { amount: 5, currency: 'EUR' })))).toBe('REFUND_WITHOUT_VALUE_BASIS');
  });

  it('proposing a refund above the items value is refused', () => {
    expect(ruleOf(() => storiesTo.IN_PROGRESS().decide(act('propose-resolution', { kind: 'REFUND', amount: 150, currency: 'EUR' })))).toBe(
      'REFUND_EXCEEDS_ITEMS_VALUE',
    );
  });

  it('a partial refund proposal must name its amount', () => {
    expect(ruleOf(() => storiesTo.IN_PROGRESS().decide(act('propose-resolution', { kind: 'PARTIAL_REFUND' })))).toBe('AMOUNT_REQUIRED');
  });

  it('resolve refuses while the accepted resolution is not carried out', () => {
    const story = storiesTo.REFUND_ACCEPTED().run(act('issue-refund', { amount: 50, currency: 'EUR' }));
    expect(ruleOf(() => story.decide(act('resolve', { summary: 'too early' })))).toBe('RESOLUTION_NOT_FULFILLED');
    const replacement = storiesTo.IN_PROGRESS().run(act('propose-resolution', { kind: 'REPLACEMENT' }), act('accept-resolution', {}, customer));
    expect(ruleOf(() => replacement.decide(act('resolve', { summary: 'too early' })))).toBe('RESOLUTION_NOT_FULFILLED');
    const repair = storiesTo.IN_PROGRESS().run(act('propose-resolution', { kind: 'REPAIR' }), act('accept-resolution', {}, customer));
    expect(ruleOf(() => repair.decide(act('resolve', { summary: 'too early' })))).toBe('RESOLUTION_NOT_FULFILLED');
    const compensation = storiesTo.IN_PROGRESS().run(act('propose-resolution', { kind: 'COMPENSATION' }), act('accept-resolution', {}, customer));
    expect(ruleOf(() => compensation.decide(act('resolve', { summary: 'too early' })))).toBe('RESOLUTION_NOT_FULFILLED');
  });

  it('an escalation must go higher than the current level', () => {
    const story = storiesTo.IN_PROGRESS().run(act('escalate', { level: 'L2', reason: 'x' }));
    expect(ruleOf(() => story.decide(act('escalate', { level: 'L1', reason: 'lower' })))).toBe('ESCALATION_NOT_HIGHER');
    expect(ruleOf(() => story.decide(act('escalate', { level: 'L2', reason: 'same' })))).toBe('ESCALATION_NOT_HIGHER');
  });

  it('a compensation must grant something, and a coupon needs a currency', () => {
    expect(ruleOf(() => storiesTo.IN_PROGRESS().decide(act('grant-compensation', {})))).toBe('COMPENSATION_EMPTY');
    expect(ruleOf(() => storiesTo.IN_PROGRESS().decide(act('grant-compensation', { couponAmount: 5 })))).toBe('CURRENCY_REQUIRED');
  });

  it('a return deadline in the past is refused', () => {
    expect(ruleOf(() => storiesTo.IN_PROGRESS().decide(act('authorize-return', { returnBy: '2026-03-01T00:00:00.000Z' })))).toBe('RETURN_BY_IN_PAST');
  });
});
