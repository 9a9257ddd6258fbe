/**
 * The merchants' calendars kept between openings, where this process is the only one that stores calendars (the
 * embedded default owns its PGlite data directory): otherwise every opening asks the database for its merchant's
 * calendar, though calendars change only when an administrator stores a new version. The calendar API reports
 * every stored change (`CalendarChanges.changed`), which drops everything held; a look-up still under way during a
 * change is answered but not kept, so no opening after the change sees the calendar from before it.
 */
import { LRUCache } from 'lru-cache';
import type { BusinessCalendar } from '@aftersales/business-calendar';
import type { CalendarDirectory } from './open-case-lookups';

/** Told when a calendar was stored, so that openings from then on count in the new version. */
export interface CalendarChanges {
  changed(): void;
}

export const NO_CALENDAR_CACHE: CalendarChanges = { changed: () => undefined };

/** Merchants whose calendar is held at most (the least recently used go first). */
export const CALENDARS_HELD = 10_000;

export class CachedCalendarDirectory implements CalendarDirectory, CalendarChanges {
  private readonly held = new LRUCache<string, { calendar: BusinessCalendar | undefined }>({ max: CALENDARS_HELD });
  /** Bumped by every change: a look-up started before it must not keep its answer. */
  private generation = 0;

  constructor(private readonly directory: CalendarDirectory) {}

  async calendarFor(merchantId: string): Promise<BusinessCalendar | undefined> {
    const hit = this.held.get(merchantId);
    if (hit) return hit.calendar;
    const generation = this.generation;
    const calendar = await this.directory.calendarFor(merchantId);
    if (generation === this.generation) this.held.set(merchantId, { calendar });
    return calendar;
  }

  changed(): void {
    this.generation += 1;
    this.held.clear();
  }
}
