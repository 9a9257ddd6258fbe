/**
 * Checks a calendar's content before it is stored: every problem found, each with the field it concerns, so a
 * caller can name them all at once. Empty when the calendar is sound.
 */
import { DateTime, IANAZone } from 'luxon';
import type { Weekday } from './business-calendar';
import { WEEKDAYS } from './business-calendar';

export interface CalendarProblem {
  field: string;
  problem: string;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Minutes after local midnight of `HH:MM`; `24:00` only where `end` allows it. Undefined when malformed. */
export function minutesOfDay(text: unknown, end = false): number | undefined {
  if (typeof text !== 'string') return undefined;
  if (end && text === '24:00') return 24 * 60;
  const match = TIME.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

export function isCalendarDate(text: unknown): text is string {
  return typeof text === 'string' && DATE.test(text) && DateTime.fromISO(text, { zone: 'UTC' }).isValid;
}

function rangeProblems(ranges: unknown, field: string): CalendarProblem[] {
  if (!Array.isArray(ranges)) return [{ field, problem: 'must be a list of ["HH:MM", "HH:MM"] ranges ([] for no hours)' }];
  const problems: CalendarProblem[] = [];
  const sound: Array<{ start: number; end: number; text: string }> = [];
  ranges.forEach((range, i) => {
    const at = `${field}.${i}`;
    if (!Array.isArray(range) || range.length !== 2) {
      problems.push({ field: at, problem: 'must be a pair ["HH:MM", "HH:MM"]' });
      return;
    }
    const start = minutesOfDay(range[0]);
    const end = minutesOfDay(range[1], true);
    if (start === undefined) problems.push({ field: at, problem: `start ${JSON.stringify(range[0])} is not a time of day HH:MM (00:00 to 23:59)` });
    if (end === undefined) problems.push({ field: at, problem: `end ${JSON.stringify(range[1])} is not a time of day HH:MM (00:00 to 24:00)` });
    if (start === undefined || end === undefined) return;
    if (end <= start) {
      problems.push({ field: at, problem: `ends (${range[1]}) before it starts (${range[0]})` });
      return;
    }
    sound.push({ start, end, text: `${range[0]}-${range[1]}` });
  });
  sound.sort((a, b) => a.start - b.start);
  for (let i = 1; i < sound.length; i++) {
    if (sound[i].start < sound[i - 1].end) problems.push({ field, problem: `ranges ${sound[i - 1].text} and ${sound[i].text} overlap` });
  }
  return problems;
}

function dateListProblems(list: unknown, field: string): CalendarProblem[] {
  if (!Array.isArray(list)) return [{ field, problem: 'must be a list of dates YYYY-MM-DD' }];
  return list.flatMap((date, i) =>
    isCalendarDate(date) ? [] : [{ field: `${field}.${i}`, problem: `${JSON.stringify(date)} is not a calendar date YYYY-MM-DD` }],
  );
}

/** Problems of the content of a calendar (zone, week, holidays, workdays, workdayHours); id and version aside. */
export function calendarProblems(candidate: unknown): CalendarProblem[] {
  if (!candidate || typeof candidate !== 'object' || Array.isArray(candidate)) return [{ field: '(calendar)', problem: 'must be a JSON object' }];
  const c = candidate as Record<string, unknown>;
  const problems: CalendarProblem[] = [];
  if (typeof c.timeZone !== 'string' || !IANAZone.isValidZone(c.timeZone)) {
    problems.push({ field: 'timeZone', problem: `${JSON.stringify(c.timeZone)} is not a known IANA time zone (such as Asia/Shanghai)` });
  }
  const week = c.week;
  if (!week || typeof week !== 'object' || Array.isArray(week)) {
    problems.push({ field: 'week', problem: 'must be an object with the hours of mon, tue, wed, thu, fri, sat and sun' });
  } else {
    const days = week as Record<string, unknown>;
    for (const key of Object.keys(days)) {
      if (!(WEEKDAYS as readonly string[]).includes(key))
        problems.push({ field: `week.${key}`, problem: 'is not a weekday; use mon, tue, wed, thu, fri, sat, sun' });
    }
    let hours = 0;
    for (const day of WEEKDAYS) {
      if (days[day] === undefined) {
        problems.push({ field: `week.${day}`, problem: 'is missing; use [] for a day without business hours' });
        continue;
      }
      problems.push(...rangeProblems(days[day], `week.${day}`));
      if (Array.isArray(days[day])) hours += (days[day] as unknown[]).length;
    }
    if (hours === 0) problems.push({ field: 'week', problem: 'has no business hours on any day, so no due time would ever come' });
  }
  problems.push(...dateListProblems(c.holidays, 'holidays'), ...dateListProblems(c.workdays, 'workdays'));
  if (Array.isArray(c.holidays) && Array.isArray(c.workdays)) {
    const off = new Set(c.holidays);
    for (const date of new Set(c.workdays)) {
      if (off.has(date)) problems.push({ field: 'workdays', problem: `${String(date)} is listed both as a holiday and as a workday` });
    }
  }
  if (c.workdayHours !== undefined) {
    problems.push(...rangeProblems(c.workdayHours, 'workdayHours'));
    if (Array.isArray(c.workdayHours) && c.workdayHours.length === 0) {
      problems.push({ field: 'workdayHours', problem: 'must name at least one range, or be left out to use the Monday hours' });
    }
  } else if (week && typeof week === 'object' && Array.isArray((week as Record<Weekday, unknown>).mon)) {
    if ((week as Record<Weekday, unknown[]>).mon.length === 0 && Array.isArray(c.workdays) && c.workdays.length > 0) {
      problems.push({ field: 'workdayHours', problem: 'is needed: workdays take the Monday hours when it is absent, and Monday has none' });
    }
  }
  return problems;
}
