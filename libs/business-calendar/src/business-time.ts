/**
 * Business time: adding a span of business time to an instant, and measuring the business time between two
 * instants, in a calendar's own time zone (Luxon resolves local times to instants, daylight saving included).
 * Only the open stretches of each local day count: a stretch is as long as the real time between its local
 * start and end, so an 8-hour day that contains a clock change lasts 7 or 9 hours. Pure: no clock, no I/O.
 */
import { DateTime } from 'luxon';
import type { BusinessCalendar, TimeRange, Weekday } from './business-calendar';
import { WEEKDAYS } from './business-calendar';
import { minutesOfDay } from './calendar-problems';

const MINUTE_MS = 60_000;
/** How far the arithmetic looks for business hours before it gives up (a calendar of holidays only). */
const MAX_DAYS_SEARCHED = 366 * 20;

interface MinuteRange {
  start: number;
  end: number;
}

interface CompiledCalendar {
  zone: string;
  alwaysOpen: boolean;
  week: Record<Weekday, MinuteRange[]>;
  workdayHours: MinuteRange[];
  holidays: Set<string>;
  workdays: Set<string>;
}

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();

function toMinutes(ranges: readonly TimeRange[]): MinuteRange[] {
  return ranges
    .map(([start, end]) => ({ start: minutesOfDay(start) ?? 0, end: minutesOfDay(end, true) ?? 0 }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
}

function compile(calendar: BusinessCalendar): CompiledCalendar {
  const known = compiled.get(calendar);
  if (known) return known;
  const week = Object.fromEntries(WEEKDAYS.map((day) => [day, toMinutes(calendar.week[day] ?? [])])) as Record<Weekday, MinuteRange[]>;
  const result: CompiledCalendar = {
    zone: calendar.timeZone,
    week,
    workdayHours: calendar.workdayHours ? toMinutes(calendar.workdayHours) : week.mon,
    holidays: new Set(calendar.holidays),
    workdays: new Set(calendar.workdays),
    alwaysOpen: calendar.holidays.length === 0 && WEEKDAYS.every((day) => week[day].length === 1 && week[day][0].start === 0 && week[day][0].end === 24 * 60),
  };
  compiled.set(calendar, result);
  return result;
}

/** One local day of a zone: its date, weekday (0 = Monday) and the instants it starts and ends. */
interface LocalDay {
  date: string;
  weekday: number;
  start: number;
  end: number;
  /** No clock change inside the day: a local time is its start plus the minutes since midnight. */
  uniform: boolean;
  /** The next local day, once asked for. */
  following?: LocalDay;
}

const DAY_MS = 86_400_000;
const MAX_CACHED_DAYS = 100_000;
/** Luxon's answers per zone and date, kept because they never change and every SLA reading asks for them again. */
const localDays = new Map<string, LocalDay>();

/** The local day that begins at `first` (a start of day in the zone). */
function dayStartingAt(zone: string, first: DateTime): LocalDay {
  const date = first.toISODate()!;
  const key = `${zone}|${date}`;
  const known = localDays.get(key);
  if (known) return known;
  const plain = DateTime.fromMillis(first.toMillis() + DAY_MS, { zone });
  const uniform = first.hour === 0 && first.minute === 0 && plain.hour === 0 && plain.minute === 0 && plain.offset === first.offset;
  const [y, m, d] = date.split('-').map(Number);
  const day: LocalDay = {
    date,
    weekday: (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7,
    start: first.toMillis(),
    end: uniform ? first.toMillis() + DAY_MS : first.plus({ days: 1 }).startOf('day').toMillis(),
    uniform,
  };
  if (localDays.size >= MAX_CACHED_DAYS) localDays.clear();
  localDays.set(key, day);
  return day;
}

function nextDay(zone: string, day: LocalDay): LocalDay {
  day.following ??= dayStartingAt(zone, DateTime.fromMillis(day.end, { zone }).startOf('day'));
  return day.following;
}

/** The instant of a local time of day; a time inside a clock change's gap moves forward as Luxon does. */
function at(zone: string, day: LocalDay, minutes: number): number {
  if (minutes >= 24 * 60) return day.end;
  if (day.uniform) return day.start + minutes * MINUTE_MS;
  return DateTime.fromMillis(day.start, { zone })
    .set({ hour: Math.floor(minutes / 60), minute: minutes % 60 })
    .toMillis();
}

/** The open stretches of one local day, as instants (epoch ms), in order. */
function openStretches(c: CompiledCalendar, day: LocalDay): Array<[number, number]> {
  const ranges = c.holidays.has(day.date) ? [] : c.workdays.has(day.date) ? c.workdayHours : c.week[WEEKDAYS[day.weekday]];
  const out: Array<[number, number]> = [];
  for (const r of ranges) {
    const start = at(c.zone, day, r.start);
    const end = at(c.zone, day, r.end);
    if (end > start) out.push([start, end]);
  }
  return out;
}

/** The local day holding an instant, then each following day. */
function* daysFrom(c: CompiledCalendar, ms: number): Generator<LocalDay> {
  for (let day = dayStartingAt(c.zone, DateTime.fromMillis(ms, { zone: c.zone }).startOf('day')); ; day = nextDay(c.zone, day)) yield day;
}

function parse(iso: string, name: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${name} ${JSON.stringify(iso)} is not an ISO 8601 time`);
  return ms;
}

/** The instant at which `ms` of business time have passed since `startMs`. */
export function addBusinessMs(calendar: BusinessCalendar, startMs: number, ms: number): number {
  if (!(ms >= 0)) throw new RangeError(`business time to add must be zero or more, not ${ms}`);
  const c = compile(calendar);
  if (c.alwaysOpen || ms === 0) return startMs + ms;
  let remaining = ms;
  let searched = 0;
  for (const day of daysFrom(c, startMs)) {
    if (++searched > MAX_DAYS_SEARCHED) break;
    for (const [open, close] of openStretches(c, day)) {
      const from = Math.max(open, startMs);
      if (close <= from) continue;
      if (remaining <= close - from) return from + remaining;
      remaining -= close - from;
    }
  }
  throw new RangeError(`calendar ${calendar.id} has no business hours within ${MAX_DAYS_SEARCHED} days`);
}

/** Business time (ms) between two instants; negative when `toMs` comes first. */
export function businessMsBetween(calendar: BusinessCalendar, fromMs: number, toMs: number): number {
  if (toMs < fromMs) return 0 - businessMsBetween(calendar, toMs, fromMs) || 0;
  const c = compile(calendar);
  if (c.alwaysOpen) return toMs - fromMs;
  let total = 0;
  for (const day of daysFrom(c, fromMs)) {
    if (day.start >= toMs) break;
    for (const [open, close] of openStretches(c, day)) {
      const overlap = Math.min(close, toMs) - Math.max(open, fromMs);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/** The due time: `minutes` of business time after `startIso` (ISO 8601, answered in UTC). */
export function addBusinessMinutes(calendar: BusinessCalendar, startIso: string, minutes: number): string {
  return new Date(addBusinessMs(calendar, parse(startIso, 'start'), minutes * MINUTE_MS)).toISOString();
}

/** Business minutes between two instants (fractional when the instants are not on whole minutes). */
export function businessMinutesBetween(calendar: BusinessCalendar, fromIso: string, toIso: string): number {
  return businessMsBetween(calendar, parse(fromIso, 'from'), parse(toIso, 'to')) / MINUTE_MS;
}

/** Whether `iso` lies inside the calendar's business hours. */
export function isBusinessTime(calendar: BusinessCalendar, iso: string): boolean {
  const ms = parse(iso, 'time');
  const c = compile(calendar);
  if (c.alwaysOpen) return true;
  return openStretches(c, daysFrom(c, ms).next().value as LocalDay).some(([open, close]) => ms >= open && ms < close);
}
