/**
 * Calendars kept between openings on the embedded default: an opening after a stored change counts in the new
 * version, and a look-up that was under way while the change was stored is answered but never kept. On the real
 * calendar store (PGlite).
 */
import { SqlCalendarStore } from '@aftersales/business-calendar';
import type { BusinessCalendar, CalendarDefinition } from '@aftersales/business-calendar';
import { PgliteSqlClient } from '@aftersales/sql-client';
import { CachedCalendarDirectory } from '@aftersales/case-application';
import type { CalendarDirectory } from '@aftersales/case-application';
import { freshPgliteDir } from '../../../test/harness/pglite-template';

const HOURS: CalendarDefinition['week']['mon'] = [['09:00', '18:00']];
const office = (holidays: string[], over: Partial<CalendarDefinition> = {}): CalendarDefinition => ({
  timeZone: 'Asia/Shanghai',
  week: { mon: HOURS, tue: HOURS, wed: HOURS, thu: HOURS, fri: HOURS, sat: [], sun: [] },
  holidays,
  workdays: [],
  merchants: ['m1'],
  ...over,
});

/** The store as a directory that counts its look-ups and can hold one back until released. */
function countedDirectory(store: SqlCalendarStore) {
  let held: Promise<void> | undefined;
  const directory = {
    lookups: 0,
    hold(): () => void {
      let release!: () => void;
      held = new Promise((resolve) => (release = resolve));
      return release;
    },
    async calendarFor(merchantId: string): Promise<BusinessCalendar | undefined> {
      directory.lookups += 1;
      const answer = await store.calendarFor(merchantId);
      if (held) await held;
      return answer;
    },
  };
  return directory satisfies CalendarDirectory;
}

describe('Calendars kept between openings (embedded default)', () => {
  let sql: PgliteSqlClient;
  let store: SqlCalendarStore;
  beforeEach(async () => {
    sql = await PgliteSqlClient.open(freshPgliteDir());
    store = new SqlCalendarStore(sql);
    await store.init();
  });
  afterEach(async () => sql.close());

  it('given a calendar for m1, many openings ask the store once; after a new version is stored and reported, the next opening counts in it', async () => {
    await store.put('cn-office', office(['2026-10-01']), '2026-09-01T00:00:00.000Z');
    const directory = countedDirectory(store);
    const cached = new CachedCalendarDirectory(directory);
    for (let i = 0; i < 5; i++) expect(await cached.calendarFor('m1')).toMatchObject({ id: 'cn-office', version: 1 });
    expect(directory.lookups).toBe(1);

    await store.put('cn-office', office(['2026-10-01', '2026-10-02']), '2026-09-02T00:00:00.000Z');
    cached.changed();
    expect(await cached.calendarFor('m1')).toMatchObject({ id: 'cn-office', version: 2, holidays: ['2026-10-01', '2026-10-02'] });
    expect(directory.lookups).toBe(2);
  });

  it('a merchant without a calendar is kept as 24×7 until a default calendar is stored', async () => {
    const cached = new CachedCalendarDirectory(countedDirectory(store));
    expect(await cached.calendarFor('m2')).toBeUndefined();
    await store.put('fallback', office([], { merchants: [], default: true }), '2026-09-01T00:00:00.000Z');
    cached.changed();
    expect(await cached.calendarFor('m2')).toMatchObject({ id: 'fallback', version: 1 });
  });

  it('when a change is reported while a look-up is under way, that look-up answers but is not kept: the next opening reads again', async () => {
    await store.put('cn-office', office(['2026-10-01']), '2026-09-01T00:00:00.000Z');
    const directory = countedDirectory(store);
    const cached = new CachedCalendarDirectory(directory);
    const release = directory.hold();
    const underway = cached.calendarFor('m1');
    await store.put('cn-office', office(['2026-10-01', '2026-10-02']), '2026-09-02T00:00:00.000Z');
    cached.changed();
    release();
    expect(await underway).toMatchObject({ version: 1 });
    expect(await cached.calendarFor('m1')).toMatchObject({ version: 2 });
    expect(directory.lookups).toBe(2);
  });
});
