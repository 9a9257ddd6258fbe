/**
 * The web console in a real browser (Debian's Chromium driven by playwright-core), against the real API on the
 * embedded store with a manual clock. A day of cases is seeded through the HTTP API; then each role signs in and
 * the test checks that the console shows what the API answers for the same query, that the time slider shows
 * the case as it was, that the CSV downloads, that nothing logs an error and that axe finds no serious or
 * critical accessibility problem. Screenshots of each page land in artifacts/console-screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import request from 'supertest';
import type { Role } from '@aftersales/runtime-config';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { TOKENS, bearer, startApi } from '../../../test/harness/api-under-test';
import { describeWithServer } from '../../../test/harness/servers';
import { T0, ViewScenario, at } from '../../../test/fixtures/view-scenario';
import { formatCount, formatMean, formatRate } from '../src/format';
import { en } from '../src/i18n/messages-en';
import { zh } from '../src/i18n/messages-zh';

const ROOT = join(__dirname, '..', '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = join(ROOT, 'artifacts', 'console-screenshots');
const DOC_IMAGES = join(ROOT, 'docs', 'images');
/** The README's two screenshots are refreshed only when asked (UPDATE_DOC_SCREENSHOTS=1): a test run leaves tracked files alone. */
const UPDATE_DOC_IMAGES = process.env.UPDATE_DOC_SCREENSHOTS === '1';
const toDocs = (shot: string, name: string) => {
  if (UPDATE_DOC_IMAGES) copyFileSync(shot, join(DOC_IMAGES, name));
};
const AXE = require.resolve('axe-core/axe.min.js');
const NOW = at(520); // 17:40 UTC on 2 March 2026

jest.setTimeout(180_000);

/** The API, listening on a real port, with the scenario below in its store and views. */
interface World {
  api: ApiUnderTest;
  url: string;
  ids: { c1: string; c2: string; c3: string; atRisk: string; rejectedReturn: string };
}

async function seed(api: ApiUnderTest): Promise<World['ids']> {
  const story = new ViewScenario(api);
  const { c1, c2, c3 } = await story.run(); // c1 resolved and closed (CSAT 5), c2 rejected (CSAT 2), c3 URGENT untouched
  api.clock.set(at(320));
  const atRisk = await story.open({ customerId: 'cust-D', merchantId: 'm2', orderId: 'D1', type: 'TECH_SUPPORT', priority: 'HIGH' }); // first response due at(560)
  expect((await story.orders([ViewScenario.fact('OrderDelivered', 'R1', 'cust-R', '2026-03-01T02:00:00Z')])).status).toBe(200);
  api.clock.set(at(330));
  const rejectedReturn = await story.open({ customerId: 'cust-R', merchantId: 'm1', orderId: 'R1', type: 'RETURN', priority: 'NORMAL' });
  await story.act(rejectedReturn, 'acknowledge', {}, 340);
  await story.act(rejectedReturn, 'reject', { reasonCode: 'OUT_OF_RETURN_WINDOW' }, 350); // inside the no-reason window: a violation
  api.clock.set(NOW);
  // Five LOW complaints about one product of m4 in the afternoon: a complaint spike of the merchant and of the SKU.
  for (let i = 1; i <= 5; i++) {
    await story.open({
      customerId: `cust-S${i}`,
      merchantId: 'm4',
      orderId: `S${i}`,
      type: 'COMPLAINT',
      priority: 'LOW',
      items: [{ sku: 'LAMP-7', quantity: 1, amount: 30 }],
    });
  }
  const repurchase = await story.orders([ViewScenario.fact('OrderPlaced', 'A3', 'cust-A', at(500), 40)]); // cust-A buys again after c1 closed
  expect(repurchase.body).toMatchObject({ accepted: 1 });
  await api.background.catchUp();
  await api.background.slaWatch.tick(); // c3's first-response breach (30 min) recorded and escalated; its resolution (12 h) is not due yet
  await api.background.catchUp();
  await api.background.earlyWarning.tick(); // raises m4's complaint spikes
  await api.background.catchUp();
  return { c1, c2, c3, atRisk, rejectedReturn };
}

async function startWorld(): Promise<World> {
  execFileSync(process.execPath, [join(ROOT, 'apps', 'console', 'build.mjs')], { stdio: 'pipe' }); // the console as `npm run build` makes it
  const api = await startApi();
  api.clock.set(T0);
  const ids = await seed(api);
  await api.app.listen(0, '127.0.0.1');
  const { port } = api.app.getHttpServer().address() as AddressInfo;
  return { api, url: `http://127.0.0.1:${port}`, ids };
}

const apiGet = async (world: World, role: Role, path: string) => (await request(world.api.http).get(path).set(bearer(role)).expect(200)).body;

describe('Console support in the API', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'apps', 'console', 'build.mjs')], { stdio: 'pipe' });
    api = await startApi();
  });
  afterAll(async () => api?.close());

  it('GET /console serves the page without a token, under a policy that allows only this origin', async () => {
    const page = await request(api.http).get('/console').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe|\*|https?:/);
    expect(page.text).toContain('/console/console.js');
    const script = await request(api.http).get('/console/console.js').expect(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.text).not.toMatch(/https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\/[^"'\s]*\.(js|css|woff2?)/i); // nothing fetched from a CDN
    await request(api.http).get('/console/..%2Fpackage.json').expect(404);
    await request(api.http).get('/console/missing.js').expect(404);
  });

  it('GET /auth/whoami answers the role of the token, 401 without one', async () => {
    for (const role of ['service', 'agent', 'analyst', 'auditor', 'admin'] as const) {
      expect((await request(api.http).get('/auth/whoami').set(bearer(role)).expect(200)).body).toEqual({ role });
    }
    await request(api.http).get('/auth/whoami').expect(401);
    await request(api.http).get('/auth/whoami').set('Authorization', 'Bearer not-a-token').expect(401);
  });

  it('POST /views/what-if refuses a policy that is not one, listing every problem; analysts and admins only', async () => {
    const current = (await request(api.http).get('/views/what-if/policy').set(bearer('analyst')).expect(200)).body;
    expect(current).toMatchObject({ id: 'default', version: 1 });
    const bad = await request(api.http)
      .post('/views/what-if')
      .set(bearer('analyst'))
      .send({ ...current, version: 0, warningRatio: 2, extra: true })
      .expect(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['extra', 'version', 'warningRatio']);
    expect(bad.body.message).toContain('warningRatio must be between 0 and 1');
    await request(api.http).post('/views/what-if').set(bearer('analyst')).send([1, 2]).expect(400);
    const endless = { ...current, targets: { ...current.targets, LOW: { firstResponseMinutes: 1e308, resolutionMinutes: 1e308 } } };
    const tooLong = await request(api.http).post('/views/what-if').set(bearer('analyst')).send(endless).expect(400);
    expect(tooLong.body.message).toContain('targets.LOW.firstResponseMinutes must be at most');
    await request(api.http).post('/views/what-if').set(bearer('auditor')).send(current).expect(403);
    await request(api.http).post('/views/what-if').set(bearer('admin')).send(current).expect(200);
  });
});

describeWithServer(
  'Chromium',
  existsSync(CHROMIUM),
  `install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH); looked for ${CHROMIUM}`,
  'The web console in a real browser',
  () => {
    let world: World;
    let browser: Browser;
    const downloads = mkdtempSync(join(tmpdir(), 'console-downloads-'));

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      world = await startWorld();
      browser = await chromium.launch({ executablePath: CHROMIUM });
    });
    afterAll(async () => {
      await browser?.close();
      await world?.api.close();
      rmSync(downloads, { recursive: true, force: true });
    });

    interface Session {
      page: Page;
      context: BrowserContext;
      /** Console errors and uncaught exceptions seen so far. */
      problems: string[];
      close(): Promise<void>;
    }

    /** A refusal the console provokes on purpose, which Chromium logs as a failed resource load. */
    const expectedRefusal = (message: ConsoleMessage) => /status of 404/.test(message.text()) && message.location().url.endsWith('/views/early-warning'); // the probe for early warnings

    async function open(viewport = { width: 1280, height: 800 }): Promise<Session> {
      const context = await browser.newContext({ viewport, timezoneId: 'Asia/Shanghai', locale: 'en-GB', acceptDownloads: true });
      await context.addInitScript({ path: AXE }); // injected by the browser itself, so the page's CSP need not allow it
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' && !expectedRefusal(message)) problems.push(`console error: ${message.text()} (${message.location().url})`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      return { page, context, problems, close: () => context.close() };
    }

    async function signIn(role: Role, viewport?: { width: number; height: number }, fakeTimers = false): Promise<Session> {
      const session = await open(viewport);
      if (fakeTimers) await session.page.clock.install(); // the page's timers then run when the test says so
      await session.page.goto(`${world.url}/console`);
      await session.page.getByLabel(en['signIn.token']).fill(TOKENS[role]);
      await session.page.getByRole('button', { name: en['signIn.submit'] }).click();
      await session.page.locator(`#signed-in-role[data-role="${role}"]`).waitFor();
      return session;
    }

    async function axeFindings(page: Page): Promise<string[]> {
      const violations = await page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: {
              run(context: unknown, options: object): Promise<{ violations: Array<{ id: string; impact?: string; nodes: Array<{ target: string[] }> }> }>;
            };
          }
        ).axe;
        const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.nodes.join(', ')}`);
    }

    async function shoot(page: Page, name: string): Promise<string> {
      const file = join(SHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    }

    const navPages = async (page: Page) => page.locator('nav a[data-page]').evaluateAll((links) => links.map((l) => l.getAttribute('data-page')));
    const textOf = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();
    const cells = async (page: Page, rowSelector: string) =>
      page
        .locator(rowSelector)
        .evaluateAll((rows) =>
          rows.map((row) => Array.from(row.children as ArrayLike<{ textContent: string | null }>).map((cell) => (cell.textContent ?? '').trim())),
        );

    async function goTo(page: Page, slug: string, ready: string) {
      await page.locator(`nav a[data-page="${slug}"]`).click();
      await page.locator(ready).first().waitFor();
    }

    it('analyst: overview figures, charts and tables are the API answers; escalation queue sorts and filters; no errors; axe clean', async () => {
      const s = await signIn('analyst');
      const { page } = s;
      const warnings = await request(world.api.http).get('/views/early-warning').set(bearer('analyst'));
      expect(await navPages(page)).toEqual(['overview', 'escalation', ...(warnings.status === 200 ? ['early-warning'] : []), 'timeline', 'what-if']);

      // Overview: open, at risk, breached.
      const escalation = await apiGet(world, 'analyst', '/views/escalation');
      expect(escalation.total).toBeGreaterThanOrEqual(2);
      expect(escalation.breached.map((e: { caseId: string }) => e.caseId)).toEqual([world.ids.c3]);
      expect(escalation.atRisk.map((e: { caseId: string }) => e.caseId)).toEqual([world.ids.atRisk]);
      await page.locator('[data-figure="open"]').waitFor();
      expect(await textOf(page, '[data-figure="open"]')).toBe(formatCount(escalation.total, 'en'));
      expect(await textOf(page, '[data-figure="at-risk"]')).toBe(formatCount(escalation.atRisk.length, 'en'));
      expect(await textOf(page, '[data-figure="breached"]')).toBe(formatCount(escalation.breached.length, 'en'));

      // CSAT and SLA compliance by day: the table beside the chart holds the API's figures.
      const byDay = await apiGet(world, 'analyst', '/views/satisfaction?groupBy=day');
      expect(byDay.groups.length).toBeGreaterThan(0);
      await page.locator('#satisfaction-by-day tbody tr').first().waitFor();
      expect(await cells(page, '#satisfaction-by-day tbody tr')).toEqual(
        byDay.groups.map((g: { key: string; cases: number; rated: number; meanCsat: number; satisfiedShare: number; slaCompliance: number }) => [
          g.key,
          formatCount(g.cases, 'en'),
          formatCount(g.rated, 'en'),
          formatMean(g.meanCsat, 'en'),
          formatRate(g.satisfiedShare, 'en'),
          formatRate(g.slaCompliance, 'en'),
        ]),
      );

      // Loyalty impact by outcome and by CSAT band.
      const impact = await apiGet(world, 'analyst', '/views/loyalty/impact');
      expect(impact.overall.cases).toBeGreaterThan(0);
      const impactRows = (rows: Record<string, { cases: number; repurchased: number; rate: number | null }>) =>
        Object.entries(rows).map(([, r]) => [formatCount(r.cases, 'en'), formatCount(r.repurchased, 'en'), formatRate(r.rate, 'en')]);
      const shown = async (id: string) => (await cells(page, `#${id} tbody tr`)).map((row) => row.slice(1));
      expect(await shown('impact-by-outcome')).toEqual(impactRows(impact.byOutcome));
      expect(await shown('impact-by-band')).toEqual(impactRows(impact.byCsatBand));
      expect(await textOf(page, '[data-figure="overall-rate"]')).toBe(formatRate(impact.overall.rate, 'en'));
      expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(4); // the four charts are drawn
      expect(await axeFindings(page)).toEqual([]);
      toDocs(await shoot(page, 'analyst-overview'), 'console-overview.png');

      // Escalation queue: every open case, sortable, filterable.
      await goTo(page, 'escalation', '#escalation-queue tbody tr');
      const rowIds = async () => page.locator('#escalation-queue tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')));
      expect((await rowIds()).sort()).toEqual(escalation.cases.map((e: { caseId: string }) => e.caseId).sort());
      await page.getByRole('button', { name: en['queue.caseId'] }).click();
      expect(await page.locator('#escalation-queue th[aria-sort="ascending"]').count()).toBe(1);
      expect(await rowIds()).toEqual([...(await rowIds())].sort());
      await page.getByRole('button', { name: en['queue.caseId'] }).click();
      expect(await rowIds()).toEqual([...(await rowIds())].sort().reverse());
      await page.getByLabel(en['queue.state']).selectOption('breached');
      expect(await rowIds()).toEqual([world.ids.c3]);
      await page.getByLabel(en['queue.state']).selectOption('at-risk');
      expect(await rowIds()).toEqual([world.ids.atRisk]);
      await page.getByLabel(en['queue.state']).selectOption('all');
      await page.getByLabel(en['queue.filter']).fill(world.ids.c1.slice(0, 8));
      expect(await rowIds()).toEqual([]); // c1 is closed: not in the queue
      await page.getByLabel(en['queue.filter']).fill('m2');
      expect((await rowIds()).sort()).toEqual([world.ids.c3, world.ids.atRisk].sort());
      await page.getByLabel(en['queue.filter']).fill('');
      expect(await axeFindings(page)).toEqual([]);
      await shoot(page, 'analyst-escalation');

      if (warnings.status === 200) {
        await goTo(page, 'early-warning', '#early-warning-signals tbody tr');
        // The signals table shows what the API answers: kind, scope, window, observed, baseline, score, since.
        const ew = warnings.body as {
          atRisk: Array<{ caseId: string }>;
          signals: Array<{ kind: string; scope: Record<string, string>; window: string; observed: number; baseline: number; score: number }>;
        };
        expect(ew.signals.map((x) => [x.kind, x.scope])).toEqual(
          expect.arrayContaining([
            ['COMPLAINT_SPIKE', { merchantId: 'm4' }],
            ['COMPLAINT_SPIKE', { merchantId: 'm4', sku: 'LAMP-7' }],
          ]),
        );
        const shownSignals = (await cells(page, '#early-warning-signals tbody tr')).map((row) => row.slice(0, 6));
        expect(shownSignals).toEqual(
          ew.signals.map((x) => [
            x.kind,
            Object.entries(x.scope)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', '),
            x.window,
            formatMean(x.observed, 'en'),
            formatMean(x.baseline, 'en'),
            formatMean(x.score, 'en'),
          ]),
        );
        expect(ew.atRisk.map((c) => c.caseId)).toEqual([world.ids.atRisk]);
        expect((await cells(page, '#early-warning-at-risk tbody tr')).map((row) => row[0])).toEqual([world.ids.atRisk]);
        expect(await axeFindings(page)).toEqual([]);
        await shoot(page, 'analyst-early-warning');
      }
      expect(s.problems).toEqual([]);
      await s.close();
    });

    it('the escalation queue refreshes itself every 30 s: a case opened meanwhile appears without a click', async () => {
      const s = await signIn('agent', undefined, true);
      const { page } = s;
      await goTo(page, 'escalation', '#escalation-queue tbody tr');
      const fresh = await new ViewScenario(world.api).open({ customerId: 'cust-F', merchantId: 'm3', orderId: 'F1', type: 'COMPLAINT', priority: 'LOW' });
      await world.api.background.catchUp();
      await page.clock.runFor(20_000); // two thirds of the period: no refresh yet
      expect(await page.locator(`#escalation-queue tr[data-case="${fresh}"]`).count()).toBe(0);
      await page.clock.runFor(10_000);
      await page.locator(`#escalation-queue tr[data-case="${fresh}"]`).waitFor();
      expect(s.problems).toEqual([]);
      await s.close();
    });

    it('analyst: the case timeline lists every event with its actor, and the slider shows the case as it was', async () => {
      const s = await signIn('analyst');
      const { page } = s;
      const { c1 } = world.ids;
      const history = await apiGet(world, 'analyst', `/cases/${c1}/events`);
      await goTo(page, 'timeline', `input[name="caseId"]`);
      await page.getByLabel(en['timeline.caseId']).fill(c1);
      await page.getByRole('button', { name: en['timeline.show'] }).click();
      await page.locator('#event-list li').first().waitFor();
      const listed = await page
        .locator('#event-list li')
        .evaluateAll((items) => items.map((li) => (li.querySelector('.event-head')?.textContent ?? '').trim()));
      expect(listed).toHaveLength(history.length);
      history.forEach((e: { type: string; revision: number; actor: { type: string; id: string } }, i: number) => {
        expect(listed[i]).toContain(e.type);
        expect(listed[i]).toContain(`${en['timeline.revision']} ${e.revision}`);
        expect(listed[i]).toContain(`${e.actor.type}:${e.actor.id}`);
      });
      expect(listed[0]).toContain('2 Mar 2026, 17:00:00'); // opened 09:00 UTC, shown in the viewer's zone (Shanghai)
      // The CaseTriaged event shows its evidence as the API holds it: sentiment, suggested type and priority with the
      // words that decided them, the regulator terms; in English and in 简体中文.
      const triaged = history.find((e: { type: string }) => e.type === 'CaseTriaged');
      const field = (name: string) => `#event-list [data-triage] [data-field="${name}"]`;
      expect(await page.locator('#event-list [data-triage]').count()).toBe(1);
      expect(await textOf(page, field('sentiment'))).toContain(triaged.data.sentiment.label);
      expect(await textOf(page, field('sentiment'))).toContain(triaged.data.sentiment.score.toFixed(2));
      expect(await textOf(page, field('suggested-type'))).toContain(triaged.data.suggestedType.type);
      for (const word of triaged.data.suggestedType.evidence) expect(await textOf(page, field('suggested-type'))).toContain(word);
      expect(await textOf(page, field('suggested-priority'))).toContain(triaged.data.suggestedPriority.priority);
      expect(await page.locator(field('regulator')).getAttribute('data-mentioned')).toBe(String(triaged.data.regulatorMention.mentioned));
      expect(await textOf(page, '#event-list [data-triage] h3')).toBe(en['triage.title']);
      await page.getByRole('button', { name: '简体中文' }).click();
      await page.waitForFunction(
        () => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang === 'zh-CN',
      );
      expect(await textOf(page, '#event-list [data-triage] h3')).toBe(zh['triage.title']);
      expect(await textOf(page, field('regulator'))).toContain(
        triaged.data.regulatorMention.mentioned ? zh['triage.regulatorMentioned'] : zh['triage.regulatorNone'],
      );
      await page.getByRole('button', { name: 'English' }).click();
      expect(await page.locator('#chain').count()).toBe(0); // the chain check is the auditors'

      const now = await apiGet(world, 'analyst', `/cases/${c1}`);
      await page.locator('#state-now [data-field="status"]').waitFor();
      expect(await textOf(page, '#state-now [data-field="status"]')).toBe(now.status);
      expect(now.status).toBe('CLOSED');
      const slider = page.locator('#as-of-slider');
      for (const index of [0, 2, history.length - 1]) {
        const then = await apiGet(world, 'analyst', `/cases/${c1}?asOf=${encodeURIComponent(history[index].occurredAt)}`);
        await slider.focus();
        await page.keyboard.press('Home');
        for (let i = 0; i < index; i++) await page.keyboard.press('ArrowRight');
        await page.waitForFunction(
          ([revision]) =>
            (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector(
              '#state-then [data-field="revision"]',
            )?.textContent === revision,
          [String(then.revision)],
        );
        expect(await textOf(page, '#state-then [data-field="status"]')).toBe(then.status);
      }
      const first = await apiGet(world, 'analyst', `/cases/${c1}?asOf=${encodeURIComponent(history[0].occurredAt)}`);
      expect(first.status).toBe('OPEN'); // early on the case was open; now it is closed
      await page.keyboard.press('Home');
      await page.waitForFunction(
        () =>
          (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector(
            '#state-then [data-field="status"]',
          )?.textContent === 'OPEN',
      );
      expect(await axeFindings(page)).toEqual([]);
      await shoot(page, 'analyst-timeline');
      expect(s.problems).toEqual([]);
      await s.close();
    });

    it('analyst: what-if compares another SLA policy with the real figures per team, and lists the problems of a bad one', async () => {
      const s = await signIn('analyst');
      const { page } = s;
      await goTo(page, 'what-if', '#policy-text');
      await page.waitForFunction(() =>
        (
          (globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }).document.querySelector('#policy-text')?.value ?? ''
        ).includes('"targets"'),
      );
      const policy = JSON.parse(await page.locator('#policy-text').inputValue());
      expect(policy).toEqual(await apiGet(world, 'analyst', '/views/what-if/policy'));
      const stricter = {
        ...policy,
        id: 'strict',
        version: 2,
        targets: { ...policy.targets, HIGH: { firstResponseMinutes: 20, resolutionMinutes: 60 }, NORMAL: { firstResponseMinutes: 30, resolutionMinutes: 120 } },
      };
      await page.locator('#policy-text').fill(JSON.stringify(stricter, null, 2));
      await page.getByRole('button', { name: en['whatIf.run'] }).click();
      await page.locator('#what-if-teams tbody tr').first().waitFor();
      const report = (await request(world.api.http).post('/views/what-if').set(bearer('analyst')).send(stricter).expect(200)).body;
      const expected = Object.entries(
        report.teams as Record<string, { actual: Record<string, number>; whatIf: Record<string, number>; recorded: Record<string, number> }>,
      ).map(([team, r]) => [
        team === '(unassigned)' ? en['queue.unassigned'] : team,
        formatCount(r.whatIf.cases, 'en'),
        formatCount(r.actual.firstResponseBreaches, 'en'),
        formatCount(r.whatIf.firstResponseBreaches, 'en'),
        formatCount(r.actual.resolutionBreaches, 'en'),
        formatCount(r.whatIf.resolutionBreaches, 'en'),
        `L1 ${r.recorded.L1} · L2 ${r.recorded.L2} · L3 ${r.recorded.L3}`,
      ]);
      expect(await cells(page, '#what-if-teams tbody tr')).toEqual(expected);
      expect(Object.values(report.teams as Record<string, { whatIf: { firstResponseBreaches: number } }>).some((r) => r.whatIf.firstResponseBreaches > 0)).toBe(
        true,
      );
      expect(await axeFindings(page)).toEqual([]);
      await shoot(page, 'analyst-what-if');

      // A policy file can be uploaded instead of typed.
      await page
        .locator('#policy-file')
        .setInputFiles({ name: 'strict.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...stricter, id: 'uploaded' })) });
      await page.waitForFunction(() =>
        (
          (globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }).document.querySelector('#policy-text')?.value ?? ''
        ).includes('"uploaded"'),
      );

      await page.locator('#policy-text').fill(JSON.stringify({ ...stricter, warningRatio: 3 }));
      await page.getByRole('button', { name: en['whatIf.run'] }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('warningRatio must be between 0 and 1');
      expect(s.problems.filter((p) => !/status of 400/.test(p))).toEqual([]); // the refusal itself is logged by the browser as a failed load
      expect(s.problems.filter((p) => /status of 400/.test(p))).toHaveLength(1);
      await s.close();
    });

    it('auditor: compliance by rule, merchant and period as the API reports it; the CSV downloads; a violation links to its chain check', async () => {
      const s = await signIn('auditor');
      const { page } = s;
      expect(await navPages(page)).toEqual(['timeline', 'compliance']);
      await goTo(page, 'compliance', 'select[name="profile"]');
      for (const profile of ['EU', 'CN'] as const) {
        await page.getByLabel(en['compliance.profile']).selectOption(profile);
        await page.getByRole('button', { name: en['compliance.apply'] }).click();
        const report = await apiGet(world, 'auditor', `/audit/compliance?profile=${profile}`);
        expect(report.violations.length).toBeGreaterThan(0);
        await page.waitForFunction(
          (p) =>
            (
              (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector(
                'main p[role="status"]',
              )?.textContent ?? ''
            ).includes(`${p}:`),
          profile,
        );
        expect(await textOf(page, '[data-figure="violations"]')).toBe(formatCount(report.violations.length, 'en'));
        const byRule = await page
          .locator('#by-rule tbody tr')
          .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-key'), (r.querySelector('td')?.textContent ?? '').trim()]));
        expect(byRule).toEqual(Object.entries(report.summary).map(([rule, n]) => [rule, formatCount(n as number, 'en')]));
        const tally = (key: (v: { merchantId: string; openedAt: string }) => string) => {
          const counts: Record<string, number> = {};
          for (const v of report.violations) counts[key(v)] = (counts[key(v)] ?? 0) + 1;
          return Object.entries(counts)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, n]) => [k, formatCount(n, 'en')]);
        };
        expect(await cells(page, '#by-merchant tbody tr')).toEqual(tally((v) => v.merchantId));
        expect(await cells(page, '#by-period tbody tr')).toEqual(tally((v) => v.openedAt.slice(0, 7)));
        const listed = await page
          .locator('#violations tbody tr')
          .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-rule'), r.getAttribute('data-case')]));
        expect(listed).toEqual(report.violations.map((v: { rule: string; caseId: string }) => [v.rule, v.caseId]));
      }
      expect(await axeFindings(page)).toEqual([]);
      await shoot(page, 'auditor-compliance');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: en['compliance.csv'] }).click()]);
      expect(download.suggestedFilename()).toBe('compliance-CN.csv');
      const saved = join(downloads, download.suggestedFilename());
      await download.saveAs(saved);
      const csv = readFileSync(saved, 'utf8');
      expect(csv.split(/\r?\n/)[0]).toBe('rule,profile,caseId,merchantId,openedAt,detail,evidence,link');
      expect(csv).toBe((await request(world.api.http).get('/audit/compliance?profile=CN&format=csv').set(bearer('auditor')).expect(200)).text);

      // The per-case link opens the case's timeline with its chain check.
      const { rejectedReturn } = world.ids;
      await page.locator(`#violations tr[data-case="${rejectedReturn}"] a`).first().click();
      await page.locator('#chain-result').waitFor();
      const verify = await apiGet(world, 'auditor', `/audit/cases/${rejectedReturn}/verify`);
      expect(verify.valid).toBe(true);
      expect(await page.locator('#chain-result').getAttribute('data-valid')).toBe('true');
      expect(await textOf(page, '#chain-result')).toContain(en['timeline.chainValid'].replace('{events}', String(verify.events)));
      await page.locator('#event-list li').first().waitFor();
      expect(await page.locator('#event-list li').count()).toBe(verify.events);
      expect(await axeFindings(page)).toEqual([]);
      await shoot(page, 'auditor-timeline-violation');

      // The resolved and closed case, as it was after its assignment, beside the chain check: the picture for the README.
      const { c1 } = world.ids;
      await page.getByLabel(en['timeline.caseId']).fill(c1);
      await page.getByRole('button', { name: en['timeline.show'] }).click();
      await page.locator(`#event-list li`).nth(3).waitFor();
      await page.locator('#chain-result').waitFor();
      await page.locator('#as-of-slider').focus();
      await page.keyboard.press('Home');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      const assigned = await apiGet(
        world,
        'auditor',
        `/cases/${c1}?asOf=${encodeURIComponent((await apiGet(world, 'auditor', `/cases/${c1}/events`))[3].occurredAt)}`,
      );
      await page.waitForFunction(
        (revision) =>
          (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector(
            '#state-then [data-field="revision"]',
          )?.textContent === revision,
        String(assigned.revision),
      );
      expect(await textOf(page, '#state-then [data-field="status"]')).toBe(assigned.status);
      expect(await axeFindings(page)).toEqual([]);
      toDocs(await shoot(page, 'auditor-timeline'), 'console-timeline.png');
      expect(s.problems).toEqual([]);
      await s.close();
    });

    it('admin: projections with checkpoints and lag; a rebuild shows its progress until done', async () => {
      const s = await signIn('admin');
      const { page } = s;
      expect(await navPages(page)).toEqual(['projections', 'what-if']);
      await goTo(page, 'projections', '#projections tbody tr');
      const status = await apiGet(world, 'admin', '/admin/projections');
      for (const p of status.projections as Array<{ name: string; deadLetters: number; checkpoints: Array<{ lag?: number }> }>) {
        const row = page.locator(`#projections tr[data-projection="${p.name}"]`);
        const lag = p.checkpoints.find((c) => c.lag !== undefined)?.lag;
        expect(((await row.locator('[data-field="lag"]').textContent()) ?? '').trim()).toBe(lag === undefined ? '—' : formatCount(lag, 'en'));
        expect(((await row.locator('[data-field="dead-letters"]').textContent()) ?? '').trim()).toBe(formatCount(p.deadLetters, 'en'));
      }
      await page.getByRole('button', { name: en['projections.rebuildOf'].replace('{name}', 'escalation') }).click();
      await page.locator('#projections tr[data-projection="escalation"] [data-field="rebuild"][data-state="done"]').waitFor({ timeout: 30_000 });
      const after = await apiGet(world, 'admin', '/admin/projections');
      const rebuilt = after.projections.find((p: { name: string }) => p.name === 'escalation').rebuild;
      expect(rebuilt.state).toBe('done');
      expect(await textOf(page, '#projections tr[data-projection="escalation"] [data-field="rebuild"]')).toContain(formatCount(rebuilt.processed, 'en'));
      expect(await axeFindings(page)).toEqual([]);
      await shoot(page, 'admin-projections');
      expect(s.problems).toEqual([]);
      await s.close();
    });

    it('agent sees the queue but not the analysts’ figures; service has no pages; a wrong token is refused', async () => {
      const agent = await signIn('agent');
      const warnings = await request(world.api.http).get('/views/early-warning').set(bearer('agent'));
      expect(await navPages(agent.page)).toEqual(['overview', 'escalation', ...(warnings.status === 200 ? ['early-warning'] : [])]);
      await agent.page.locator('[data-figure="open"]').waitFor();
      expect(await agent.page.locator('#satisfaction-by-day, #impact-by-outcome').count()).toBe(0);
      expect(agent.problems).toEqual([]);
      await agent.close();

      const service = await signIn('service');
      expect(await navPages(service.page)).toEqual([]);
      expect(await textOf(service.page, 'main [role="status"]')).toBe(en['app.nothingToRead'].replace('{role}', 'service'));
      expect(service.problems).toEqual([]);
      await service.close();

      const stranger = await open();
      await stranger.page.goto(`${world.url}/console`);
      await stranger.page.getByLabel(en['signIn.token']).fill('not-a-token');
      await stranger.page.getByRole('button', { name: en['signIn.submit'] }).click();
      await stranger.page.getByRole('alert').waitFor();
      expect(await stranger.page.getByRole('alert').textContent()).toContain(en['signIn.rejected']);
      expect(await stranger.page.evaluate(() => (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length)).toBe(0);
      expect(await axeFindings(stranger.page)).toEqual([]);
      await shoot(stranger.page, 'sign-in');
      await stranger.close();
    });

    it('简体中文 and a phone-width screen: every label switches, the page fits 390 px, axe stays clean', async () => {
      const s = await signIn('analyst', { width: 390, height: 844 });
      const { page } = s;
      await page.getByRole('button', { name: '简体中文' }).click();
      await page.waitForFunction(
        () => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang === 'zh-CN',
      );
      expect(await page.locator('nav a[data-page="overview"]').textContent()).toBe(zh['page.overview']);
      expect(await textOf(page, 'main h1')).toBe(zh['page.overview']);
      expect(await textOf(page, '#open-cases')).toBe(zh['overview.openCases']);
      await page.locator('#satisfaction-by-day').waitFor();
      const english = Object.values(en).filter((text) => text.length > 6 && !/^[^a-z]*$/i.test(text) && !Object.values(zh).includes(text));
      const body = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
      expect(english.filter((text) => !text.includes('{') && body.includes(text))).toEqual([]); // no English label left over
      const fits = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return root.scrollWidth <= root.clientWidth;
      });
      expect(fits).toBe(true);
      expect(await axeFindings(page)).toEqual([]);
      await shoot(page, 'analyst-overview-zh-phone');
      // Keyboard: from a fresh load, Tab reaches the skip link first, then the language buttons; focus is visible.
      await page.reload();
      await page.locator('#signed-in-role').waitFor();
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { className: string } } }).document.activeElement.className),
      ).toBe('skip');
      await page.keyboard.press('Tab');
      const outline = await page.evaluate(() => {
        const g = globalThis as unknown as { document: { activeElement: unknown }; getComputedStyle(e: unknown): { outlineStyle: string } };
        return g.getComputedStyle(g.document.activeElement).outlineStyle;
      });
      expect(outline).not.toBe('none');
      await page.getByRole('button', { name: 'English' }).click(); // leave the saved choice as it was
      expect(s.problems).toEqual([]);
      await s.close();
    });
  },
);
