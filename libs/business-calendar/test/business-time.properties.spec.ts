import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { BusinessCalendar, TimeRange } from '../src';
import { WEEKDAYS, addBusinessMs, businessMsBetween, calendarProblems } from '../src';

const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC'];
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Non-overlapping ranges of a day on a 15-minute grid (ends may be 24:00). */
const dayHours: fc.Arbitrary<TimeRange[]> = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 }).map((marks) => {
  const sorted = [...marks].sort((a, b) => a - b);
  const ranges: TimeRange[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push([hhmm(sorted[i] * 15), hhmm(sorted[i + 1] * 15)]);
  return ranges;
});

const dateIn2026 = fc.integer({ min: 0, max: 420 }).map((d) => DateTime.fromISO('2026-01-01', { zone: 'UTC' }).plus({ days: d }).toISODate()!);

const calendarArb: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    days: fc.tuple(dayHours, dayHours, dayHours, dayHours, dayHours, dayHours, dayHours),
    holidays: fc.uniqueArray(dateIn2026, { maxLength: 30 }),
    workdays: fc.uniqueArray(dateIn2026, { maxLength: 8 }),
  })
  .filter(({ days }) => days.some((d) => d.length > 0))
  .map(({ timeZone, days, holidays, workdays }) => ({
    id: 'generated',
    version: 1,
    timeZone,
    week: Object.fromEntries(WEEKDAYS.map((day, i) => [day, days[i]])) as BusinessCalendar['week'],
    holidays,
    workdays: workdays.filter((d) => !holidays.includes(d)),
    workdayHours: [['09:00', '18:00']] as TimeRange[],
  }));

const instant = fc.integer({ min: Date.parse('2025-12-20T00:00:00Z'), max: Date.parse('2027-02-01T00:00:00Z') });
const span = fc.integer({ min: 0, max: 20_000 }).map((minutes) => minutes * 60_000);

describe('business time: properties over generated calendars in zones with and without DST', () => {
  it('every generated calendar passes validation', () => {
    fc.assert(
      fc.property(calendarArb, (cal) => expect(calendarProblems(cal)).toEqual([])),
      { numRuns: 200 },
    );
  });

  it('adding business time and measuring it back is the identity', () => {
    fc.assert(
      fc.property(calendarArb, instant, span, (cal, start, ms) => {
        const due = addBusinessMs(cal, start, ms);
        expect(due).toBeGreaterThanOrEqual(start);
        expect(businessMsBetween(cal, start, due)).toBe(ms);
      }),
      { numRuns: 300 },
    );
  });

  it('adding is monotonic in the span and composes: add(add(s, a), b) = add(s, a + b) for b > 0', () => {
    fc.assert(
      fc.property(calendarArb, instant, span, span, (cal, start, a, b) => {
        const first = addBusinessMs(cal, start, a);
        const both = addBusinessMs(cal, start, a + b);
        expect(both).toBeGreaterThanOrEqual(first);
        if (b > 0) expect(addBusinessMs(cal, first, b)).toBe(both);
      }),
      { numRuns: 200 },
    );
  });

  it('measuring is monotonic and additive over consecutive intervals, and never more than the wall-clock time', () => {
    fc.assert(
      fc.property(calendarArb, fc.tuple(instant, instant, instant), (cal, points) => {
        const [a, b, c] = [...points].sort((x, y) => x - y);
        const ab = businessMsBetween(cal, a, b);
        const bc = businessMsBetween(cal, b, c);
        const ac = businessMsBetween(cal, a, c);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(b - a);
        expect(ac).toBeGreaterThanOrEqual(ab);
        expect(ac).toBe(ab + bc);
        expect(businessMsBetween(cal, c, a) + ac).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
