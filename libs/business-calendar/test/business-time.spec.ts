import { TWENTY_FOUR_SEVEN, addBusinessMinutes, businessMinutesBetween, isBusinessTime } from '../src';
import type { BusinessCalendar } from '../src';
import { BERLIN, SHANGHAI_GOLDEN_WEEK } from './calendar-fixtures';

describe('business time in Asia/Shanghai around the National Day holiday (国庆, 1-7 October 2026)', () => {
  const cal = SHANGHAI_GOLDEN_WEEK;

  it('given a case opened Wednesday 30 September at 16:00, when 8 business hours are added, then it is due Thursday 8 October at 16:00', () => {
    // 30 Sep 16:00-18:00 = 2 h; 1-7 Oct off; 8 Oct 09:00-12:00 = 3 h, 13:00-16:00 = 3 h.
    expect(addBusinessMinutes(cal, '2026-09-30T08:00:00.000Z', 8 * 60)).toBe('2026-10-08T08:00:00.000Z');
  });

  it('given the same opening, when 24 business hours are added, then the adjusted Saturday 10 October is worked and the case is due on it at 16:00', () => {
    // 2 h (30 Sep) + 8 h (Thu 8 Oct) + 8 h (Fri 9 Oct) = 18 h; Sat 10 Oct is a workday with the Monday hours: 3 h + 3 h.
    expect(addBusinessMinutes(cal, '2026-09-30T08:00:00.000Z', 24 * 60)).toBe('2026-10-10T08:00:00.000Z');
  });

  it('given a case opened on Saturday 19 September, when 1 business hour is added, then the adjusted Sunday 20 September counts (10:00 local)', () => {
    expect(addBusinessMinutes(cal, '2026-09-19T02:00:00.000Z', 60)).toBe('2026-09-20T02:00:00.000Z');
    const withoutWorkdays: BusinessCalendar = { ...cal, workdays: [] };
    expect(addBusinessMinutes(withoutWorkdays, '2026-09-19T02:00:00.000Z', 60)).toBe('2026-09-21T02:00:00.000Z');
  });

  it('measures back: the holiday week holds no business time, the lunch break neither', () => {
    expect(businessMinutesBetween(cal, '2026-09-30T08:00:00.000Z', '2026-10-08T08:00:00.000Z')).toBe(480);
    expect(businessMinutesBetween(cal, '2026-09-30T10:00:00.000Z', '2026-10-08T00:00:00.000Z')).toBe(0);
    expect(businessMinutesBetween(cal, '2026-10-08T03:30:00.000Z', '2026-10-08T05:30:00.000Z')).toBe(60); // 11:30-13:30 local
    expect(businessMinutesBetween(cal, '2026-10-08T08:00:00.000Z', '2026-09-30T08:00:00.000Z')).toBe(-480);
  });

  it('a due time falls at the close of a stretch, not at the next opening', () => {
    // Friday 9 Oct 17:00 local + 60 min: 18:00 the same day.
    expect(addBusinessMinutes(cal, '2026-10-09T09:00:00.000Z', 60)).toBe('2026-10-09T10:00:00.000Z');
    expect(isBusinessTime(cal, '2026-10-09T10:00:00.000Z')).toBe(false);
    expect(isBusinessTime(cal, '2026-10-09T09:59:00.000Z')).toBe(true);
    expect(isBusinessTime(cal, '2026-10-02T03:00:00.000Z')).toBe(false);
  });
});

describe('business time in Europe/Berlin across daylight saving (29 March and 25 October 2026)', () => {
  it('given Friday 27 March at 16:00 CET, when 4 business hours are added, then it is due Monday 30 March at 10:00 CEST (08:00 UTC)', () => {
    // Friday 16:00-17:00 = 1 h; Sunday 29 March 01:00-04:00 holds only 2 real hours (02:00-03:00 does not exist);
    // Monday opens at 09:00 CEST = 07:00 UTC, and the last hour ends at 10:00 CEST.
    expect(addBusinessMinutes(BERLIN, '2026-03-27T15:00:00.000Z', 120)).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST
    expect(addBusinessMinutes(BERLIN, '2026-03-27T15:00:00.000Z', 180)).toBe('2026-03-29T02:00:00.000Z'); // the Sunday close, 04:00 CEST
    expect(addBusinessMinutes(BERLIN, '2026-03-27T15:00:00.000Z', 240)).toBe('2026-03-30T08:00:00.000Z');
  });

  it('the Sunday stretch 01:00-04:00 lasts 2 h in March and 4 h in October', () => {
    expect(businessMinutesBetween(BERLIN, '2026-03-28T12:00:00.000Z', '2026-03-29T12:00:00.000Z')).toBe(120);
    expect(businessMinutesBetween(BERLIN, '2026-10-24T12:00:00.000Z', '2026-10-25T12:00:00.000Z')).toBe(240);
  });

  it('a weekday after the change opens at 09:00 local: 07:00 UTC in summer, 08:00 UTC in winter', () => {
    expect(addBusinessMinutes(BERLIN, '2026-03-30T00:00:00.000Z', 1)).toBe('2026-03-30T07:01:00.000Z');
    expect(addBusinessMinutes(BERLIN, '2026-10-26T00:00:00.000Z', 1)).toBe('2026-10-26T08:01:00.000Z');
  });

  it('a whole local day is 23 h in March and 25 h in October', () => {
    const allDay: BusinessCalendar = {
      ...BERLIN,
      week: { ...BERLIN.week, sun: [['00:00', '24:00']], sat: [] },
    };
    // Saturday is closed and Monday opens at 09:00, so only Sunday counts.
    expect(businessMinutesBetween(allDay, '2026-03-28T12:00:00.000Z', '2026-03-30T00:00:00.000Z')).toBe(23 * 60);
    expect(businessMinutesBetween(allDay, '2026-10-24T12:00:00.000Z', '2026-10-26T00:00:00.000Z')).toBe(25 * 60);
  });
});

describe('the 24×7 calendar', () => {
  it('adds and measures wall-clock time', () => {
    expect(addBusinessMinutes(TWENTY_FOUR_SEVEN, '2026-03-02T09:00:00.000Z', 90)).toBe('2026-03-02T10:30:00.000Z');
    expect(businessMinutesBetween(TWENTY_FOUR_SEVEN, '2026-03-02T09:00:00.000Z', '2026-03-05T09:00:00.000Z')).toBe(3 * 24 * 60);
  });

  it('refuses a negative span and a malformed instant', () => {
    expect(() => addBusinessMinutes(SHANGHAI_GOLDEN_WEEK, '2026-03-02T09:00:00.000Z', -1)).toThrow(RangeError);
    expect(() => businessMinutesBetween(SHANGHAI_GOLDEN_WEEK, 'yesterday', '2026-03-02T09:00:00.000Z')).toThrow(RangeError);
  });
});
