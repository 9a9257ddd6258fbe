/**
 * Business-hours calendars over HTTP (spec section 4): PUT and GET /admin/calendars, due times counted in the
 * merchant's calendar (China's National Day holiday and its adjusted working days), versions kept per case, and
 * the escalation view's time left in business time.
 */
import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';

const OFFICE = [
  ['09:00', '12:00'],
  ['13:00', '18:00'],
];
const GOLDEN_WEEK = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'];

/** Shanghai office hours, 1-7 October off, Sunday 20 September and Saturday 10 October worked (调休). */
const shanghai = (over: Record<string, unknown> = {}) => ({
  timeZone: 'Asia/Shanghai',
  week: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE, sat: [], sun: [] },
  holidays: GOLDEN_WEEK,
  workdays: ['2026-09-20', '2026-10-10'],
  merchants: ['m1'],
  ...over,
});

/** Wednesday 30 September 2026, 16:00 in Shanghai. */
const OPENED_AT = '2026-09-30T08:00:00.000Z';
const HOUR = 3_600_000;

forEachStore('HTTP: business-hours calendars', (openStorage) => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi(await openStorage());
  });
  afterAll(async () => api.close());

  const put = (id: string, body: object, role: 'admin' | 'analyst' = 'admin') => request(api.http).put(`/admin/calendars/${id}`).set(bearer(role)).send(body);
  const open = (over: Record<string, unknown>) => request(api.http).post('/cases').set(bearer('service')).send(openCaseBody(over)).expect(201);
  const getCase = (id: string) => request(api.http).get(`/cases/${id}`).set(bearer('analyst')).expect(200);

  it('given a Shanghai calendar for m1, a case opened before the National Day holiday is due after it, counting the adjusted Saturday; a new version leaves it alone', async () => {
    const created = await put('cn-office', shanghai()).expect(201);
    expect(created.body).toMatchObject({ id: 'cn-office', version: 1, created: true, changed: true });
    await put('cn-office', shanghai(), 'analyst').expect(403);

    api.clock.set(OPENED_AT);
    const first = await open({ merchantId: 'm1', priority: 'HIGH' });
    // HIGH: 4 h to respond, 48 h to resolve, in business hours.
    // 4 h: 30 Sep 16:00-18:00, 8 Oct 09:00-11:00. 48 h: 2 + 8 (8 Oct) + 8 (9 Oct) + 8 (Sat 10 Oct) + 8 + 8 (12, 13 Oct) + 6 (14 Oct, to 16:00).
    const firstDue = { firstResponseDueAt: '2026-10-08T03:00:00.000Z', resolutionDueAt: '2026-10-14T08:00:00.000Z' };
    expect(first.body.sla).toEqual({
      policyId: 'default',
      policyVersion: 1,
      ...firstDue,
      paused: false,
      calendar: { id: 'cn-office', version: 1, timeZone: 'Asia/Shanghai' },
    });
    const view = await getCase(first.body.caseId);
    expect(view.body.sla).toMatchObject({
      calendar: { id: 'cn-office', version: 1, timeZone: 'Asia/Shanghai' },
      firstResponse: { dueAt: firstDue.firstResponseDueAt, msLeft: 4 * HOUR },
      resolution: { dueAt: firstDue.resolutionDueAt, msLeft: 48 * HOUR },
    });

    // A merchant without a calendar, and no default: 24×7.
    const elsewhere = await open({ merchantId: 'm2', priority: 'HIGH' });
    expect(elsewhere.body.sla).toEqual({
      policyId: 'default',
      policyVersion: 1,
      firstResponseDueAt: '2026-09-30T12:00:00.000Z',
      resolutionDueAt: '2026-10-02T08:00:00.000Z',
      paused: false,
    });

    // Version 2: 8 October becomes a day off as well.
    const changed = await put('cn-office', shanghai({ holidays: [...GOLDEN_WEEK, '2026-10-08'] })).expect(200);
    expect(changed.body).toMatchObject({ id: 'cn-office', version: 2, created: false, changed: true });
    const same = await put('cn-office', shanghai({ holidays: ['2026-10-08', ...GOLDEN_WEEK] })).expect(200);
    expect(same.body).toMatchObject({ version: 2, changed: false });

    expect((await getCase(first.body.caseId)).body.sla).toMatchObject({
      calendar: { version: 1 },
      firstResponse: { dueAt: firstDue.firstResponseDueAt },
      resolution: { dueAt: firstDue.resolutionDueAt },
    });
    const second = await open({ merchantId: 'm1', priority: 'HIGH' });
    // 4 h: 30 Sep 16:00-18:00, 9 Oct 09:00-11:00. 48 h: 2 + 8 (9 Oct) + 8 (10 Oct) + 8 × 3 (12-14 Oct) + 6 (15 Oct, to 16:00).
    expect(second.body.sla).toMatchObject({
      firstResponseDueAt: '2026-10-09T03:00:00.000Z',
      resolutionDueAt: '2026-10-15T08:00:00.000Z',
      calendar: { id: 'cn-office', version: 2 },
    });

    // The escalation view's time left follows business time: nothing passes during the holiday.
    await api.background.catchUp();
    api.clock.set('2026-10-03T04:00:00.000Z'); // Saturday 3 October, 12:00 in Shanghai
    let esc = await request(api.http).get('/views/escalation?merchantId=m1').set(bearer('agent')).expect(200);
    const entry = (caseId: string) => esc.body.cases.find((e: { caseId: string }) => e.caseId === caseId);
    expect(entry(first.body.caseId)).toMatchObject({ firstResponse: { msLeft: 2 * HOUR }, resolution: { msLeft: 46 * HOUR }, atRisk: false, breached: false });
    api.clock.set('2026-10-08T02:00:00.000Z'); // Thursday 8 October, 10:00: 3 of the 4 hours gone for the first case
    esc = await request(api.http).get('/views/escalation?merchantId=m1').set(bearer('agent')).expect(200);
    expect(entry(first.body.caseId)).toMatchObject({ firstResponse: { msLeft: HOUR }, atRisk: true, breached: false });
    expect(entry(second.body.caseId)).toMatchObject({ firstResponse: { msLeft: 2 * HOUR }, atRisk: false }); // 8 Oct is off in version 2
    expect(esc.body.atRisk.map((e: { caseId: string }) => e.caseId)).toEqual([first.body.caseId]);

    const listed = await request(api.http).get('/admin/calendars').set(bearer('analyst')).expect(200);
    expect(listed.body.calendars).toEqual([expect.objectContaining({ id: 'cn-office', version: 2, merchants: ['m1'], default: false })]);
    const one = await request(api.http).get('/admin/calendars/cn-office?version=1').set(bearer('analyst')).expect(200);
    expect(one.body).toMatchObject({ id: 'cn-office', version: 1, holidays: GOLDEN_WEEK, workdays: ['2026-09-20', '2026-10-10'] });
    expect(one.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    await request(api.http).get('/admin/calendars/cn-office?version=9').set(bearer('admin')).expect(404);
    await request(api.http).get('/admin/calendars/nowhere').set(bearer('admin')).expect(404);
    await request(api.http).get('/admin/calendars').set(bearer('agent')).expect(403);
  });

  it('given a default calendar, a merchant no calendar names counts in it', async () => {
    await put('fallback', {
      timeZone: 'Europe/Berlin',
      week: {
        mon: [['09:00', '17:00']],
        tue: [['09:00', '17:00']],
        wed: [['09:00', '17:00']],
        thu: [['09:00', '17:00']],
        fri: [['09:00', '17:00']],
        sat: [],
        sun: [],
      },
      holidays: [],
      workdays: [],
      default: true,
    }).expect(201);
    api.clock.set('2026-10-23T14:00:00.000Z'); // Friday 16:00 CEST; the clocks go back on Sunday 25 October
    const opened = await open({ merchantId: 'm9', priority: 'HIGH' });
    // 4 h: Friday 16:00-17:00, then Monday 26 October 09:00-12:00 CET (08:00-11:00 UTC).
    expect(opened.body.sla).toMatchObject({ firstResponseDueAt: '2026-10-26T11:00:00.000Z', calendar: { id: 'fallback', version: 1 } });
    const m1 = await open({ merchantId: 'm1', priority: 'HIGH' });
    expect(m1.body.sla.calendar).toEqual({ id: 'cn-office', version: 2, timeZone: 'Asia/Shanghai' });
  });

  it('an invalid calendar is a 400 naming each problem, and stores nothing', async () => {
    const res = await put('broken', {
      timeZone: 'Asia/Atlantis',
      week: {
        mon: [
          ['09:00', '13:00'],
          ['12:00', '18:00'],
        ],
        tue: [['18:00', '09:00']],
        wed: [['9am', '18:00']],
        thu: [],
        fri: [],
        sat: [],
        sun: [],
      },
      holidays: ['2026-02-30'],
      workdays: [],
    }).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', correlationId: expect.any(String) });
    expect(res.body.fields).toEqual(
      expect.arrayContaining([
        { field: 'timeZone', problems: ['"Asia/Atlantis" is not a known IANA time zone (such as Asia/Shanghai)'] },
        { field: 'week.mon', problems: ['ranges 09:00-13:00 and 12:00-18:00 overlap'] },
        { field: 'week.tue.0', problems: ['ends (09:00) before it starts (18:00)'] },
        { field: 'week.wed.0', problems: ['start "9am" is not a time of day HH:MM (00:00 to 23:59)'] },
        { field: 'holidays.0', problems: ['"2026-02-30" is not a calendar date YYYY-MM-DD'] },
      ]),
    );
    expect(res.body.fields).toHaveLength(5);
    const shape = await put('broken', { timeZone: 'UTC', week: { mon: [], funday: [] }, holidays: [], workdays: [], default: 'yes' }).expect(400);
    expect(shape.body.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['week.funday', 'week.tue', 'default']));
    await put('no spaces allowed', shanghai()).expect(400);
    await request(api.http).get('/admin/calendars/broken').set(bearer('admin')).expect(404);
  });
});
