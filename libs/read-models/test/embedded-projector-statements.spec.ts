/**
 * What the embedded projectors cost the one PGlite connection they share with the commands, counted rather than
 * timed: every statement through the read-model client and the event store (a counting SqlClient under both),
 * BEGIN and COMMIT counted as statements. Case lifecycles decided by the domain arrive a few commands per pass;
 * the same passes run once as one projector per view (each reading the feed and committing on its own) and once
 * as the shared projectors, into twin tables of the same database, which must end identical.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CaseRepository } from '@aftersales/case-application';
import type { Actor, CaseCommand } from '@aftersales/case-domain';
import { DEFAULT_SLA_POLICY, ManualClock, decide } from '@aftersales/case-domain';
import { SqlEventStore } from '@aftersales/event-store';
import { PersonalDataVault, SqlCustomerKeyStore } from '@aftersales/personal-data';
import { PgliteSqlClient } from '@aftersales/sql-client';
import type { SqlClient, SqlQueryable } from '@aftersales/sql-client';
import { freshPgliteDir } from '../../../test/harness/pglite-template';
import { ProjectionRunner, SharedFeedProjectors, StoreFeedProjector, createProjections, tableOnlyDeadLetters } from '../src';

/** Counts the statements that reach the database; a transaction adds its BEGIN and COMMIT. */
class CountingSql implements SqlClient {
  statements = 0;
  constructor(private readonly inner: SqlClient) {}
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }> {
    this.statements += 1;
    return this.inner.query<R>(sql, params);
  }
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    this.statements += 2;
    return this.inner.transaction((tx) =>
      work({
        query: <R>(sql: string, params?: unknown[]) => {
          this.statements += 1;
          return tx.query<R>(sql, params);
        },
      }),
    );
  }
  applySchema(ddl: string): Promise<void> {
    return this.inner.applySchema(ddl);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The pass each kind of projector runs in its loop (one page, or until a short one). */
class OnePass extends StoreFeedProjector {
  run = () => this.pass();
}
class SharedPass extends SharedFeedProjectors {
  run = () => this.pass();
}

type CommandFor<C> = C extends CaseCommand ? Omit<C, 'caseId'> : never;
const agent: Actor = { type: 'agent', id: 'agent-7' };
const customer: Actor = { type: 'customer', id: 'cust-1', via: { type: 'service', id: 'shop' } };
const opening: CommandFor<CaseCommand> = {
  type: 'open',
  actor: { type: 'service', id: 'shop' },
  payload: { orderId: 'ord-1', customerId: 'cust-1', merchantId: 'merch-9', type: 'RETURN', channel: 'WEB', reason: 'Wrong size', description: 'Too small' },
};
/** The bench's lifecycle: the shortest path from opening to resolution. */
const LIFECYCLE: Array<CommandFor<CaseCommand>> = [
  opening,
  { type: 'acknowledge', payload: {}, actor: agent },
  { type: 'assign', payload: { agentId: 'agent-7', team: 'returns' }, actor: agent },
  { type: 'propose-resolution', payload: { kind: 'EXPLANATION' }, actor: agent },
  { type: 'accept-resolution', payload: {}, actor: customer },
  { type: 'resolve', payload: { summary: 'Explained' }, actor: agent },
];

interface Cost {
  passes: number;
  events: number;
  old: number;
  shared: number;
}

describe('Statements the embedded projectors run beside the commands', () => {
  let sql: CountingSql;
  let cases: CaseRepository;
  let store: SqlEventStore;
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');

  beforeEach(async () => {
    sql = new CountingSql(await PgliteSqlClient.open(freshPgliteDir()));
    store = await SqlEventStore.open('pglite', sql);
    const vault = new PersonalDataVault(new SqlCustomerKeyStore(sql), randomBytes(32));
    await vault.init();
    cases = new CaseRepository(store, vault);
  });
  afterEach(async () => sql.close());

  async function run(caseId: string, command: CommandFor<CaseCommand>): Promise<void> {
    const { state } = await cases.load(caseId);
    const events = decide({ ...command, caseId }, state, { clock, slaPolicy: DEFAULT_SLA_POLICY });
    await cases.append(state, events, { actor: command.actor, correlationId: 'corr', commandId: randomUUID() });
  }

  /** `caseCount` lifecycles interleaved, a pass of both kinds after every `perPass` commands. */
  async function measure(views: readonly string[] | undefined, caseCount: number, perPass: number): Promise<Cost> {
    const projections = createProjections(views);
    const old = projections.map((p) => new OnePass(store, new ProjectionRunner(sql, p, tableOnlyDeadLetters, '_old'), { batchSize: 500 }));
    const runners = projections.map((p) => new ProjectionRunner(sql, p, tableOnlyDeadLetters));
    for (const r of [...old.map((o) => o.runner), ...runners]) await r.init();
    const shared = new SharedPass(store, sql, runners, { batchSize: 500 });
    const ids = Array.from({ length: caseCount }, () => randomUUID());
    const commands = LIFECYCLE.flatMap((command) => ids.map((id) => [id, command] as const));
    const cost: Cost = { passes: 0, events: 0, old: 0, shared: 0 };
    for (let i = 0; i < commands.length; i += perPass) {
      for (const [id, command] of commands.slice(i, i + perPass)) await run(id, command);
      let at = sql.statements;
      for (const o of old) await o.run();
      cost.old += sql.statements - at;
      at = sql.statements;
      cost.events += await shared.run();
      cost.shared += sql.statements - at;
      cost.passes += 1;
    }
    for (const p of projections) {
      for (const table of p.tables) {
        const differing = await sql.query<{ n: string }>(
          `SELECT count(*) AS n FROM ((TABLE ${table} EXCEPT TABLE ${table}_old) UNION ALL (TABLE ${table}_old EXCEPT TABLE ${table})) d`,
        );
        expect([table, Number(differing.rows[0].n)]).toEqual([table, 0]);
      }
    }
    return cost;
  }

  const perPass = (c: Cost, side: 'old' | 'shared') => Math.round((c[side] / c.passes) * 10) / 10;
  const perEvent = (c: Cost, side: 'old' | 'shared') => Math.round((c[side] / c.events) * 100) / 100;

  it.each([
    ['the bench views', ['escalation', 'satisfaction', 'loyalty']],
    ['every view', undefined],
  ])('given %s, when commands arrive 1, 6 or 24 per pass, then the shared projectors run at most half the statements, views identical', async (_, views) => {
    const figures: Record<string, unknown> = {};
    const costs: Cost[] = [];
    for (const n of [1, 6, 24]) {
      const cost = await measure(views, 8, n);
      costs.push(cost);
      figures[`${n} per pass`] = {
        passes: cost.passes,
        events: cost.events,
        perPass: [perPass(cost, 'old'), perPass(cost, 'shared')],
        perEvent: [perEvent(cost, 'old'), perEvent(cost, 'shared')],
      };
    }
    process.stdout.write(`statements [one projector per view, shared] for ${views?.join(',') ?? 'every view'}: ${JSON.stringify(figures)}\n`);
    for (const cost of costs) expect(cost.shared * 2).toBeLessThanOrEqual(cost.old);
  });

  it('given nothing new in the feed, when a pass runs, then the shared projectors run one statement (the read)', async () => {
    const projections = createProjections();
    const runners = projections.map((p) => new ProjectionRunner(sql, p, tableOnlyDeadLetters));
    for (const r of runners) await r.init();
    const shared = new SharedPass(store, sql, runners);
    const old = runners.map((r) => new OnePass(store, r));
    await run(randomUUID(), opening);
    await shared.run();
    let at = sql.statements;
    expect(await shared.run()).toBe(0);
    expect(sql.statements - at).toBe(1);
    at = sql.statements;
    for (const o of old) await o.run();
    expect(sql.statements - at).toBe(2 * runners.length);
  });
});
