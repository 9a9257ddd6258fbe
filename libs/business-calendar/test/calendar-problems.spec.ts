import fc from 'fast-check';
import { calendarProblems } from '../src';
import { SHANGHAI_GOLDEN_WEEK } from './calendar-fixtures';

describe('calendar validation names every problem', () => {
  it('given a sound calendar, then there is no problem', () => {
    expect(calendarProblems(SHANGHAI_GOLDEN_WEEK)).toEqual([]);
  });

  it('given invalid times, a range ending before it starts, overlapping ranges, an unknown zone and bad dates, then each is named', () => {
    const problems = calendarProblems({
      timeZone: 'Asia/Atlantis',
      week: {
        mon: [
          ['09:00', '12:00'],
          ['11:30', '18:00'],
        ],
        tue: [['25:00', '18:00']],
        wed: [['18:00', '09:00']],
        thu: [['9:00', '18:00']],
        fri: [['09:00', '24:00']],
        sat: [],
        funday: [],
      },
      holidays: ['2026-02-30', '2026-10-01'],
      workdays: ['2026-10-01', 'tomorrow'],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'timeZone', problem: '"Asia/Atlantis" is not a known IANA time zone (such as Asia/Shanghai)' },
        { field: 'week.funday', problem: 'is not a weekday; use mon, tue, wed, thu, fri, sat, sun' },
        { field: 'week.mon', problem: 'ranges 09:00-12:00 and 11:30-18:00 overlap' },
        { field: 'week.tue.0', problem: 'start "25:00" is not a time of day HH:MM (00:00 to 23:59)' },
        { field: 'week.wed.0', problem: 'ends (09:00) before it starts (18:00)' },
        { field: 'week.thu.0', problem: 'start "9:00" is not a time of day HH:MM (00:00 to 23:59)' },
        { field: 'week.sun', problem: 'is missing; use [] for a day without business hours' },
        { field: 'holidays.0', problem: '"2026-02-30" is not a calendar date YYYY-MM-DD' },
        { field: 'workdays.1', problem: '"tomorrow" is not a calendar date YYYY-MM-DD' },
        { field: 'workdays', problem: '2026-10-01 is listed both as a holiday and as a workday' },
      ]),
    );
    expect(problems).toHaveLength(10);
  });

  it('given a week with no hours at all, then the calendar is refused (no due time would ever come)', () => {
    const closed = { ...SHANGHAI_GOLDEN_WEEK, week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, workdays: [] };
    expect(calendarProblems(closed)).toEqual([{ field: 'week', problem: 'has no business hours on any day, so no due time would ever come' }]);
  });

  it('given anything at all, then validation answers a list and never throws', () => {
    fc.assert(fc.property(fc.anything(), (value) => expect(Array.isArray(calendarProblems(value))).toBe(true)));
    fc.assert(
      fc.property(
        fc.record({ timeZone: fc.string(), week: fc.dictionary(fc.string(), fc.anything()), holidays: fc.anything(), workdays: fc.anything() }),
        (value) => expect(Array.isArray(calendarProblems(value))).toBe(true),
      ),
    );
  });
});
