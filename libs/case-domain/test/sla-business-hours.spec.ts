/** SLA clocks counted in a merchant's business-hours calendar, and the tier taken from the loyalty view. */
import type { BusinessCalendar, TimeRange } from '@aftersales/business-calendar';
import type { CaseCommand, OpenCaseLookups } from '../src';
import { DEFAULT_SLA_POLICY, readSla, whatIfSlaOutcome } from '../src';
import { CASE_ID, Story, act, customer, openPayload } from './case-test-kit';

const OFFICE: TimeRange[] = [
  ['09:00', '12:00'],
  ['13:00', '18:00'],
];

/** Shanghai office hours; 1-7 October 2026 off; Sunday 20 September and Saturday 10 October worked. */
const SHANGHAI: BusinessCalendar = {
  id: 'cn-office',
  version: 3,
  timeZone: 'Asia/Shanghai',
  week: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE, sat: [], sun: [] },
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-09-20', '2026-10-10'],
};

const HOUR = 3_600_000;

function openWith(lookups: OpenCaseLookups, over: Parameters<typeof openPayload>[0] = {}): CaseCommand {
  return { type: 'open', caseId: CASE_ID, actor: { type: 'service', id: 'web-shop' }, payload: openPayload({ priority: 'HIGH', ...over }), lookups };
}

/** Opened Wednesday 30 September 2026 at 16:00 Shanghai time (08:00 UTC). */
function storyBeforeGoldenWeek(): Story {
  const story = new Story();
  story.clock.set('2026-09-30T08:00:00.000Z');
  return story.run(openWith({ calendar: SHANGHAI }));
}

describe('SLA in business hours: a HIGH case (4 h / 48 h) opened in Shanghai before the National Day holiday', () => {
  it('given the merchant calendar, when the case opens, then the due times skip the holiday week and count the adjusted Saturday', () => {
    const [opened] = storyBeforeGoldenWeek().events;
    // First response, 4 h: 30 Sep 16:00-18:00, then 8 Oct 09:00-11:00.
    // Resolution, 48 h: 2 h (30 Sep) + 8 (8 Oct) + 8 (9 Oct) + 8 (Sat 10 Oct, worked) + 8 (12 Oct) + 8 (13 Oct) + 6 (14 Oct, to 16:00).
    expect(opened).toMatchObject({
      type: 'CaseOpened',
      data: {
        tier: { level: 'STANDARD', source: 'default' },
        sla: {
          firstResponseTargetMinutes: 240,
          resolutionTargetMinutes: 2880,
          firstResponseDueAt: '2026-10-08T03:00:00.000Z',
          resolutionDueAt: '2026-10-14T08:00:00.000Z',
          calendar: SHANGHAI,
        },
      },
    });
  });

  it('time left stands still over the holiday and the warning comes at 75 % of business time', () => {
    const state = storyBeforeGoldenWeek().state;
    const onHoliday = readSla(state, new Date('2026-10-03T04:00:00.000Z'), 0.75);
    expect(onHoliday.firstResponse).toMatchObject({ msLeft: 2 * HOUR, atRisk: false, breached: false });
    const at10 = readSla(state, new Date('2026-10-08T02:00:00.000Z'), 0.75); // 8 Oct 10:00: 3 of 4 h gone
    expect(at10.firstResponse).toMatchObject({ msLeft: HOUR, atRisk: true, breached: false });
    const late = readSla(state, new Date('2026-10-08T05:30:00.000Z'), 0.75); // 13:30: 11:00-12:00 and 13:00-13:30 overdue
    expect(late.firstResponse).toMatchObject({ msLeft: -1.5 * HOUR, breached: true });
    const lunch = readSla(state, new Date('2026-10-08T04:30:00.000Z'), 0.75); // 12:30: the lunch break adds nothing
    expect(lunch.firstResponse).toMatchObject({ msLeft: -HOUR, breached: true });
  });

  it('the SLA watch warns and records the breach in business time: nothing during the holiday week', () => {
    const story = storyBeforeGoldenWeek();
    const watch = (type: 'record-sla-warning' | 'record-sla-breach') =>
      story.when({ type, caseId: CASE_ID, actor: { type: 'system', id: 'sla-watch' }, payload: { clock: 'FIRST_RESPONSE' } }).map((e) => e.type);
    story.clock.set('2026-10-06T10:00:00.000Z'); // six wall-clock days later, still 2 business hours left
    expect(watch('record-sla-warning')).toEqual([]);
    expect(watch('record-sla-breach')).toEqual([]);
    story.clock.set('2026-10-08T02:00:00.000Z'); // 8 Oct 10:00 local: 3 of 4 business hours gone
    expect(watch('record-sla-warning')).toEqual(['SlaWarningIssued']);
    story.clock.set('2026-10-08T03:01:00.000Z'); // 11:01 local
    expect(watch('record-sla-breach')).toEqual(['SlaBreached', 'CaseEscalated']);
  });

  it('given a pause while awaiting the customer, when the customer answers, then only the paused business time moves the due time', () => {
    const story = storyBeforeGoldenWeek();
    story.after(30).run(act('acknowledge', {}), act('assign', { agentId: 'agent-7', team: 'returns' }));
    story.after(30).run(act('request-info', { message: 'Photo please' })); // 30 Sep 17:00 local
    story.clock.set('2026-10-08T02:00:00.000Z'); // 8 Oct 10:00 local: 1 h on 30 Sep + 1 h on 8 Oct paused
    const events = story.when(act('customer-message', { message: 'Here it is' }, customer));
    expect(events[1]).toEqual({
      type: 'SlaClockResumed',
      actor: customer,
      data: { resumedAt: '2026-10-08T02:00:00.000Z', pausedMs: 185 * HOUR, pausedBusinessMs: 2 * HOUR, resolutionDueAt: '2026-10-14T10:00:00.000Z' },
    });
  });

  it('the what-if under the same policy reproduces the recorded due times, pauses included; a halved policy gives earlier ones', () => {
    const story = storyBeforeGoldenWeek();
    story.after(30).run(act('acknowledge', {}), act('assign', { agentId: 'agent-7', team: 'returns' }));
    story.after(30).run(act('request-info', { message: 'Photo please' }));
    story.clock.set('2026-10-08T02:00:00.000Z');
    story.run(act('customer-message', { message: 'Here it is' }, customer));
    const justAfterDue = new Date('2026-10-14T10:30:00.000Z');
    const before = new Date('2026-10-14T09:30:00.000Z');
    expect(whatIfSlaOutcome(story.state, DEFAULT_SLA_POLICY, before)).toEqual({ firstResponseBreached: false, resolutionBreached: false, level: 'L0' });
    expect(whatIfSlaOutcome(story.state, DEFAULT_SLA_POLICY, justAfterDue)).toEqual({ firstResponseBreached: false, resolutionBreached: true, level: 'L2' });
    const halved = { ...DEFAULT_SLA_POLICY, id: 'halved', tierFactors: { STANDARD: 0.5, SILVER: 0.5, GOLD: 0.25, PLATINUM: 0.25 } };
    // 24 h + 2 h paused from 30 Sep 16:00: 2 + 8 + 8 + 8 (Sat 10 Oct) = 26 h, due Saturday 10 October 18:00 local.
    expect(whatIfSlaOutcome(story.state, halved, new Date('2026-10-10T09:59:00.000Z')).resolutionBreached).toBe(false);
    expect(whatIfSlaOutcome(story.state, halved, new Date('2026-10-10T10:01:00.000Z')).resolutionBreached).toBe(true);
  });

  it('given a rejected case reopened on Friday 9 October at 17:00, then the resolution target runs again in business hours', () => {
    const story = storyBeforeGoldenWeek();
    story.after(30).run(act('acknowledge', {}), act('assign', { agentId: 'agent-7' }), act('reject', { reasonCode: 'NOT_COVERED' }));
    story.clock.set('2026-10-09T09:00:00.000Z');
    const [reopened] = story.when(act('reopen', { reason: 'new evidence' }));
    // 1 h (9 Oct) + 8 (Sat 10 Oct) + 8 × 4 (12-15 Oct) + 7 (16 Oct, to 17:00) = 48 h.
    expect(reopened.data).toEqual({ reason: 'new evidence', resolutionDueAt: '2026-10-16T09:00:00.000Z' });
  });

  it('a case that opens without a calendar counts 24×7 and records no calendar', () => {
    const story = new Story();
    story.run(openWith({}));
    story.run(act('acknowledge', {}), act('assign', { agentId: 'agent-7' }), act('request-info', { message: '?' }));
    story.after(90);
    const [opened] = story.events;
    expect(opened.type === 'CaseOpened' && opened.data.sla).toEqual({
      policyId: 'default',
      policyVersion: 1,
      firstResponseTargetMinutes: 240,
      resolutionTargetMinutes: 2880,
      firstResponseDueAt: '2026-03-02T13:00:00.000Z',
      resolutionDueAt: '2026-03-04T09:00:00.000Z',
    });
    expect(story.when(act('customer-message', { message: 'ok' }, customer))[1].data).toEqual({
      resumedAt: '2026-03-02T10:30:00.000Z',
      pausedMs: 90 * 60_000,
      resolutionDueAt: '2026-03-04T10:30:00.000Z',
    });
  });
});

describe('the customer tier at opening', () => {
  const tierOf = (lookups: OpenCaseLookups, over: Parameters<typeof openPayload>[0] = {}) => {
    const [opened] = new Story().when(openWith(lookups, over));
    const d = opened.data as { tier: { level: string; source: string }; sla: { firstResponseTargetMinutes: number; resolutionTargetMinutes: number } };
    return { tier: d.tier.level, source: d.tier.source, targets: [d.sla.firstResponseTargetMinutes, d.sla.resolutionTargetMinutes] };
  };

  it('given the loyalty view knows the customer as GOLD, when the request says STANDARD, then the case is GOLD from loyalty with halved targets', () => {
    expect(tierOf({ loyaltyTier: 'GOLD' }, { customerTier: 'STANDARD' })).toEqual({ tier: 'GOLD', source: 'loyalty', targets: [120, 1440] });
  });

  it('given the loyalty view does not know the customer, then the requested tier applies (given), else STANDARD (default)', () => {
    expect(tierOf({}, { customerTier: 'PLATINUM' })).toEqual({ tier: 'PLATINUM', source: 'given', targets: [120, 1440] });
    expect(tierOf({})).toEqual({ tier: 'STANDARD', source: 'default', targets: [240, 2880] });
  });

  it('the loyalty tier wins even when it is lower than the requested one', () => {
    expect(tierOf({ loyaltyTier: 'STANDARD' }, { customerTier: 'GOLD' })).toEqual({ tier: 'STANDARD', source: 'loyalty', targets: [240, 2880] });
  });
});
