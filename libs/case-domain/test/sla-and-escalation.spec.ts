import { CUSTOMER_TIERS, DEFAULT_SLA_POLICY, PRIORITIES, readSla, slaPolicyProblems, slaTargetFor } from '../src';
import { Story, act, customer, open, storiesTo } from './case-test-kit';

describe('SLA targets', () => {
  const hours = (m: number) => m / 60;
  it.each([
    ['URGENT', 'STANDARD', 1, 24],
    ['HIGH', 'SILVER', 4, 48],
    ['NORMAL', 'STANDARD', 24, 72],
    ['LOW', 'STANDARD', 48, 120],
    ['URGENT', 'GOLD', 0.5, 12],
    ['HIGH', 'PLATINUM', 2, 24],
    ['LOW', 'GOLD', 24, 60],
  ] as const)('%s for a %s customer: first response %s h, resolution %s h', (priority, tier, first, resolution) => {
    const target = slaTargetFor(DEFAULT_SLA_POLICY, priority, tier);
    expect([hours(target.firstResponseMinutes), hours(target.resolutionMinutes)]).toEqual([first, resolution]);
  });

  it('the default policy is sound, and a broken policy is described field by field', () => {
    expect(slaPolicyProblems(DEFAULT_SLA_POLICY)).toEqual([]);
    const problems = slaPolicyProblems({ id: '', version: 0, targets: {}, tierFactors: {}, warningRatio: 2 });
    expect(problems).toContain('id must be a non-empty string');
    expect(problems).toContain('version must be a positive integer');
    expect(problems.filter((p) => p.startsWith('targets.'))).toHaveLength(PRIORITIES.length);
    expect(problems.filter((p) => p.startsWith('tierFactors.'))).toHaveLength(CUSTOMER_TIERS.length);
    expect(problems).toContain('warningRatio must be between 0 and 1 (exclusive)');
  });

  it('records the policy and due times of the tier on the opened case', () => {
    const [opened] = new Story().when(open({ priority: 'URGENT', customerTier: 'PLATINUM' }));
    expect(opened.data).toMatchObject({
      sla: { firstResponseDueAt: '2026-03-02T09:30:00.000Z', resolutionDueAt: '2026-03-02T21:00:00.000Z' },
    });
  });
});

describe('Reading the SLA clocks', () => {
  const warning = DEFAULT_SLA_POLICY.warningRatio;

  it('is on time, then at risk after 75 % of the target, then breached', () => {
    const story = storiesTo.OPEN(); // NORMAL: first response due in 24 h
    const at = (h: number) => new Date(Date.parse('2026-03-02T09:00:00.000Z') + h * 3_600_000);
    expect(readSla(story.state, at(1), warning).firstResponse).toMatchObject({ atRisk: false, breached: false, msLeft: 23 * 3_600_000 });
    expect(readSla(story.state, at(18), warning).firstResponse).toMatchObject({ atRisk: true, breached: false });
    expect(readSla(story.state, at(25), warning).firstResponse).toMatchObject({ atRisk: false, breached: true, msLeft: -3_600_000 });
  });

  it('a first response after its due time stays breached; one before is met', () => {
    const late = storiesTo
      .OPEN()
      .after(25 * 60)
      .run(act('acknowledge', {}));
    expect(readSla(late.state, new Date('2026-03-10T00:00:00Z'), warning).firstResponse).toMatchObject({ breached: true });
    const early = storiesTo.OPEN().after(60).run(act('acknowledge', {}));
    expect(readSla(early.state, new Date('2026-03-10T00:00:00Z'), warning).firstResponse).toMatchObject({
      breached: false,
      metAt: '2026-03-02T10:00:00.000Z',
    });
  });

  it('the resolution clock is frozen while awaiting the customer', () => {
    const story = storiesTo.AWAITING_CUSTOMER(); // paused at 09:00, resolution due 72 h later
    const reading = readSla(story.state, new Date('2026-03-09T00:00:00Z'), warning);
    expect(reading.paused).toBe(true);
    expect(reading.resolution).toMatchObject({ breached: false, msLeft: 72 * 3_600_000 });
  });
});

describe('Automatic escalations decided inside commands', () => {
  it('three customer contacts without an agent reply escalate to L1 (the opening counts as the first)', () => {
    const story = storiesTo.OPEN().run(act('customer-message', { message: 'Hello?' }, customer));
    expect(story.when(act('customer-message', { message: 'Anyone?' }, customer))).toEqual([
      { type: 'CustomerMessageReceived', actor: customer, data: { message: 'Anyone?' } },
      {
        type: 'CaseEscalated',
        actor: { type: 'system', id: 'escalation-policy' },
        data: { level: 'L1', previousLevel: 'L0', reason: 'UNANSWERED_CUSTOMER_CONTACTS', automatic: true },
      },
    ]);
  });

  it('an agent reply resets the count', () => {
    const story = storiesTo
      .ACKNOWLEDGED()
      .run(act('customer-message', { message: '1' }, customer), act('reply', { message: 'answer' }), act('customer-message', { message: '2' }, customer));
    expect(story.when(act('customer-message', { message: '3' }, customer)).map((e) => e.type)).toEqual(['CustomerMessageReceived']);
  });

  it('a regulator mention when opening escalates straight to L3', () => {
    const events = new Story().when(open({ description: 'I will file a complaint with the consumer protection agency' }));
    expect(events.map((e) => [e.type, (e.data as { level?: string }).level])).toEqual([
      ['CaseOpened', undefined],
      ['CaseEscalated', 'L3'],
    ]);
  });

  it('a regulator mention in a customer message escalates to L3, also in Chinese', () => {
    const story = storiesTo.IN_PROGRESS();
    const events = story.when(act('customer-message', { message: '我要打12315投诉' }, customer));
    expect(events[1]).toMatchObject({ type: 'CaseEscalated', data: { level: 'L3', reason: 'REGULATOR_MENTION' } });
  });

  it('satisfaction of 2 or less on a resolved case asks for an L1 review; 3 does not', () => {
    expect(
      storiesTo
        .RESOLVED()
        .when(act('record-satisfaction', { score: 2 }, customer))
        .map((e) => e.type),
    ).toEqual(['SatisfactionRecorded', 'CaseEscalated']);
    expect(
      storiesTo
        .RESOLVED()
        .when(act('record-satisfaction', { score: 3 }, customer))
        .map((e) => e.type),
    ).toEqual(['SatisfactionRecorded']);
  });
});
