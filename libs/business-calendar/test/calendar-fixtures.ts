/** Calendars the business-time tests share: Shanghai around the 2026 National Day holiday, Berlin across DST. */
import type { BusinessCalendar, TimeRange } from '../src';

const OFFICE: TimeRange[] = [
  ['09:00', '12:00'],
  ['13:00', '18:00'],
];

/** 8 business hours a day, Monday to Friday; 1-7 October off, Sunday 20 September and Saturday 10 October worked (调休). */
export const SHANGHAI_GOLDEN_WEEK: BusinessCalendar = {
  id: 'cn-office',
  version: 1,
  timeZone: 'Asia/Shanghai',
  week: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE, sat: [], sun: [] },
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-09-20', '2026-10-10'],
};

/** 09:00-17:00 on weekdays, 01:00-04:00 on Sundays (a stretch that holds both clock changes of 2026). */
export const BERLIN: BusinessCalendar = {
  id: 'de-office',
  version: 1,
  timeZone: 'Europe/Berlin',
  week: {
    mon: [['09:00', '17:00']],
    tue: [['09:00', '17:00']],
    wed: [['09:00', '17:00']],
    thu: [['09:00', '17:00']],
    fri: [['09:00', '17:00']],
    sat: [],
    sun: [['01:00', '04:00']],
  },
  holidays: [],
  workdays: [],
};
