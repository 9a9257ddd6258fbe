/**
 * The time an SLA clock counts: business time in the calendar recorded on the case, or wall-clock time (24×7)
 * for cases that opened without one, including every case opened before calendars existed.
 */
import type { BusinessCalendar } from '@aftersales/business-calendar';
import { addBusinessMs, businessMsBetween } from '@aftersales/business-calendar';

export interface SlaTime {
  /** The instant `ms` of counted time after `fromIso`. */
  add(fromIso: string, ms: number): string;
  /** Counted time (ms) from one instant to another; negative when `toIso` comes first. */
  between(fromIso: string, toIso: string): number;
}

const WALL_CLOCK: SlaTime = {
  add: (fromIso, ms) => new Date(Date.parse(fromIso) + ms).toISOString(),
  between: (fromIso, toIso) => Date.parse(toIso) - Date.parse(fromIso),
};

export function slaTimeIn(calendar: BusinessCalendar | undefined): SlaTime {
  if (!calendar) return WALL_CLOCK;
  return {
    add: (fromIso, ms) => new Date(addBusinessMs(calendar, Date.parse(fromIso), ms)).toISOString(),
    between: (fromIso, toIso) => businessMsBetween(calendar, Date.parse(fromIso), Date.parse(toIso)),
  };
}
