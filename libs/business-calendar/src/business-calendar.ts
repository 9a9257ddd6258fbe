/**
 * The shape of a business-hours calendar: opening hours per weekday in one IANA time zone, days off
 * (`holidays`) and weekend days worked instead (`workdays`, China's adjusted working days, 调休).
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening hours of one stretch of a day, local time: `["09:00", "12:00"]`; the end may be `"24:00"`. */
export type TimeRange = [string, string];

export type WeekHours = Record<Weekday, TimeRange[]>;

export interface BusinessCalendar {
  id: string;
  version: number;
  /** IANA zone name, e.g. `Asia/Shanghai`; the hours, holidays and workdays are local to it. */
  timeZone: string;
  week: WeekHours;
  /** Local dates (`YYYY-MM-DD`) with no business hours, whatever their weekday. */
  holidays: string[];
  /**
   * Local dates (`YYYY-MM-DD`) worked in place of a day off, typically a Saturday or Sunday next to a public
   * holiday. On such a day the `workdayHours` apply; without them, the Monday hours.
   */
  workdays: string[];
  /** Opening hours of an adjusted working day; the Monday hours when absent. */
  workdayHours?: TimeRange[];
}

/** The calendar that applies when none is configured: open around the clock, every day. */
export const TWENTY_FOUR_SEVEN: BusinessCalendar = {
  id: '24x7',
  version: 1,
  timeZone: 'UTC',
  week: {
    mon: [['00:00', '24:00']],
    tue: [['00:00', '24:00']],
    wed: [['00:00', '24:00']],
    thu: [['00:00', '24:00']],
    fri: [['00:00', '24:00']],
    sat: [['00:00', '24:00']],
    sun: [['00:00', '24:00']],
  },
  holidays: [],
  workdays: [],
};
