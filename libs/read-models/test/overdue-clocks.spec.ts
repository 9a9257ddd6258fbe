/**
 * The overdue-clocks count the metrics read from the escalation view: given cases decided by the domain and
 * projected by the runner, when the clock passes their due times, then the count follows; a paused resolution
 * clock and a closed case are not counted.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, CaseCommand, CaseEvent } from '@aftersales/case-domain';
import { DEFAULT_SLA_POLICY, ManualClock, decide, foldCase } from '@aftersales/case-domain';
import { PgliteSqlClient } from '@aftersales/sql-client';
import { EscalationProjection, ProjectionRunner, countOverdueClocks } from '../src';
import type { SourceItem } from '../src';

const agent: Actor = { type: 'agent', id: 'agent-7' };
const service: Actor = { type: 'service', id: 'web-shop' };
const T0 = '2026-03-02T09:00:00.000Z'; // default policy, NORMAL/STANDARD: first response 24 h, resolution 72 h

describe('overdue SLA clocks in the escalation view', () => {
  let sql: PgliteSqlClient;
  let runner: ProjectionRunner;
  let position = 0;
  const clock = new ManualClock(T0);
  const histories = new Map<string, CaseEvent[]>();

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    runner = new ProjectionRunner(sql, new EscalationProjection(), { send: () => Promise.resolve() });
    await runner.init();
  }, 60_000);
  afterAll(() => sql.close());

  async function run(caseId: string, type: CaseCommand['type'], payload: unknown, actor: Actor = agent): Promise<void> {
    const history = histories.get(caseId) ?? [];
    const events = decide({ type, caseId, actor, payload } as CaseCommand, foldCase(caseId, history), { clock, slaPolicy: DEFAULT_SLA_POLICY });
    const items: SourceItem[] = events.map((e, i) => ({
      position: String(++position),
      event: {
        eventId: randomUUID(),
        type: e.type,
        streamId: `case-${caseId}`,
        revision: history.length + i,
        occurredAt: e.occurredAt,
        recordedAt: e.occurredAt,
        actor: e.actor,
        data: e.data as unknown as Record<string, unknown>,
      },
    }));
    histories.set(caseId, [...history, ...events]);
    await runner.process('feed', items);
  }

  const open = (caseId: string) =>
    run(caseId, 'open', { orderId: 'o-1', customerId: 'c-1', merchantId: 'm-1', type: 'RETURN', channel: 'WEB', reason: 'r', description: 'd' }, service);

  it('counts open cases past their first-response and running resolution due times', async () => {
    const [waiting, answered, paused, closed] = ['a', 'b', 'c', 'd'].map(() => randomUUID());
    for (const id of [waiting, answered, paused, closed]) await open(id);
    await run(answered, 'acknowledge', {});
    await run(paused, 'acknowledge', {});
    await run(paused, 'assign', { agentId: 'agent-7' });
    await run(paused, 'request-info', { message: 'Photo please' });
    await run(closed, 'withdraw', { reason: 'no longer needed' }, { type: 'customer', id: 'c-1', via: service });
    expect(await countOverdueClocks(sql, clock.now())).toEqual({ firstResponse: 0, resolution: 0 });

    clock.advanceMinutes(25 * 60);
    // the first response is overdue only where nobody answered, on open cases
    expect(await countOverdueClocks(sql, clock.now())).toEqual({ firstResponse: 1, resolution: 0 });

    clock.advanceMinutes(48 * 60);
    // the resolution clock: waiting and answered; paused is awaiting the customer, and the withdrawn case is not open
    expect(await countOverdueClocks(sql, clock.now())).toEqual({ firstResponse: 1, resolution: 2 });
  });
});
