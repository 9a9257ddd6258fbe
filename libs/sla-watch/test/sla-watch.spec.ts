/**
 * The SLA watch, given an open case in a real escalation view (PGlite) and a manual clock: when the clock nears
 * and passes the first-response due time, then a tick asks for a warning and a breach, once each; a failing
 * observation is counted and reported. The interval runs on fake timers: one tick per interval, never two at once.
 */
import { randomUUID } from 'node:crypto';
import type { CaseEvent } from '@aftersales/case-domain';
import { DEFAULT_SLA_POLICY, ManualClock, decide, foldCase } from '@aftersales/case-domain';
import { EscalationProjection, ProjectionRunner } from '@aftersales/read-models';
import { PgliteSqlClient } from '@aftersales/sql-client';
import type { SqlClient, SqlQueryable } from '@aftersales/sql-client';
import { freshPgliteDir } from '../../../test/harness/pglite-template';
import type { Observe } from '../src';
import { SlaWatch } from '../src';

const WARNING_RATIO = DEFAULT_SLA_POLICY.warningRatio;

describe('SlaWatch over the escalation view', () => {
  let sql: SqlClient;
  let runner: ProjectionRunner;
  let position = 0;
  beforeAll(async () => {
    sql = await PgliteSqlClient.open(freshPgliteDir());
    runner = new ProjectionRunner(sql, new EscalationProjection(), { send: async () => undefined });
    await runner.init();
  });
  afterAll(async () => sql.close());

  /** Opens a case at the clock's time, projects it, and answers its first-response due time. */
  async function openCase(clock: ManualClock): Promise<{ caseId: string; events: CaseEvent[]; dueAt: Date }> {
    const caseId = randomUUID();
    const events = decide(
      {
        type: 'open',
        caseId,
        actor: { type: 'service', id: 'web-shop' },
        payload: {
          orderId: 'ord-1',
          customerId: 'cust-1',
          merchantId: 'merch-9',
          type: 'RETURN',
          channel: 'WEB',
          priority: 'NORMAL',
          reason: 'Wrong size',
          description: 'One size too small',
          items: [{ sku: 'SHOE-42', quantity: 1, amount: 50 }],
          currency: 'EUR',
        },
      },
      foldCase(caseId, []),
      { clock, slaPolicy: DEFAULT_SLA_POLICY },
    );
    await project(caseId, events, 0);
    return { caseId, events, dueAt: new Date(foldCase(caseId, events).sla.firstResponseDueAt) };
  }

  async function project(caseId: string, events: CaseEvent[], fromRevision: number): Promise<void> {
    await runner.process(
      'test-feed',
      events.map((e, i) => ({
        position: String(++position),
        event: {
          eventId: randomUUID(),
          type: e.type,
          streamId: `case-${caseId}`,
          revision: fromRevision + i,
          occurredAt: e.occurredAt,
          recordedAt: e.occurredAt,
          actor: e.actor,
          data: e.data as unknown as Record<string, unknown>,
        },
      })),
    );
  }

  it('asks for a warning once the clock is at risk, a breach once it is overdue, and nothing before', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const { caseId, dueAt } = await openCase(clock);
    const opened = clock.now().getTime();
    const asked: Array<[string, string, string]> = [];
    const observe: Observe = async (id, observation, slaClock) => {
      if (id === caseId) asked.push([id, observation, slaClock]);
      return [observation];
    };
    const watch = new SlaWatch(sql, observe, clock, WARNING_RATIO);

    clock.set(new Date(opened + (dueAt.getTime() - opened) * WARNING_RATIO - 60_000));
    await watch.tick();
    expect(asked).toEqual([]);

    clock.set(new Date(opened + (dueAt.getTime() - opened) * WARNING_RATIO + 60_000));
    const atRisk = await watch.tick();
    expect(asked).toEqual([[caseId, 'record-sla-warning', 'FIRST_RESPONSE']]);
    expect(atRisk.recorded).toContainEqual({ caseId, clock: 'FIRST_RESPONSE', events: ['record-sla-warning'] });

    asked.length = 0;
    clock.set(new Date(dueAt.getTime() + 60_000));
    await watch.tick();
    expect(asked).toEqual([[caseId, 'record-sla-breach', 'FIRST_RESPONSE']]);
  });

  it('asks nothing for a clock whose breach the case already records', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const { caseId, events, dueAt } = await openCase(clock);
    clock.set(new Date(dueAt.getTime() + 60_000));
    const breach = decide(
      { type: 'record-sla-breach', caseId, actor: { type: 'system', id: 'sla-watch' }, payload: { clock: 'FIRST_RESPONSE' } },
      foldCase(caseId, events),
      { clock, slaPolicy: DEFAULT_SLA_POLICY },
    );
    expect(breach.map((e) => e.type)).toContain('SlaBreached');
    await project(caseId, breach, events.length);
    const asked: string[] = [];
    await new SlaWatch(sql, async (id, observation) => (id === caseId ? (asked.push(observation), []) : []), clock, WARNING_RATIO).tick();
    expect(asked).toEqual([]);
  });

  it('counts a failed observation, reports it, and goes on with the other cases', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const first = await openCase(clock);
    const second = await openCase(clock);
    clock.set(new Date(first.dueAt.getTime() + 60_000));
    const errors: string[] = [];
    const observed: string[] = [];
    const watch = new SlaWatch(
      sql,
      async (id) => {
        if (id === first.caseId) throw new Error('store down');
        observed.push(id);
        return [];
      },
      clock,
      WARNING_RATIO,
      (error) => errors.push(error.message),
    );
    const report = await watch.tick();
    expect(report.failed).toBeGreaterThanOrEqual(1);
    expect(errors).toContain('store down');
    expect(observed).toContain(second.caseId);
  });
});

describe('SlaWatch on its interval', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A view that answers no cases, each query held until released. */
  function heldView() {
    const pending: Array<() => void> = [];
    const views: SqlQueryable = {
      query: async <R>() => {
        await new Promise<void>((resolve) => pending.push(resolve));
        return { rows: [] as R[] };
      },
    };
    return { views, pending };
  }

  it('ticks once per interval, never starts a tick while one is running, and stop() waits for the running one', async () => {
    const { views, pending } = heldView();
    const watch = new SlaWatch(views, async () => [], new ManualClock(), WARNING_RATIO);
    watch.start(1_000);
    await jest.advanceTimersByTimeAsync(999);
    expect(pending).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(pending).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(5_000); // the first tick is still running: no second one
    expect(pending).toHaveLength(1);
    pending[0]();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(pending).toHaveLength(2);

    let stopped = false;
    const stopping = watch.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    pending[1]();
    await stopping;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(pending).toHaveLength(2); // no tick after stop
  });

  it('reports a tick that fails as a whole and ticks again on the next interval', async () => {
    const errors: string[] = [];
    let calls = 0;
    const views: SqlQueryable = {
      query: async () => {
        calls += 1;
        throw new Error('view unavailable');
      },
    };
    const watch = new SlaWatch(
      views,
      async () => [],
      new ManualClock(),
      WARNING_RATIO,
      (error) => errors.push(error.message),
    );
    watch.start(500);
    await jest.advanceTimersByTimeAsync(1_000);
    await watch.stop();
    expect(calls).toBe(2);
    expect(errors).toEqual(['view unavailable', 'view unavailable']);
  });
});
