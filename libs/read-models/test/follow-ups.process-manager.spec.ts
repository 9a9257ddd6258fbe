/**
 * The follow-up process manager (回访) on a real store and real read-model database, PGlite and PostgreSQL: it
 * lists a closure's follow-up from when it is due (by the injected clock), keeps one row however often events are
 * delivered, and reopens a case whose follow-up found the issue recurred exactly once, caused by that record.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CaseRepository, PerCaseQueue, ReopenAfterFollowUpCommand, ReopenAfterFollowUpHandler, caseStreamId } from '@aftersales/case-application';
import type { Actor, CaseCommand } from '@aftersales/case-domain';
import { DEFAULT_SLA_POLICY, FOLLOW_UP_ACTOR, ManualClock, decide } from '@aftersales/case-domain';
import { PersonalDataVault, SqlCustomerKeyStore } from '@aftersales/personal-data';
import type { Storage } from '@aftersales/storage';
import { forEachStore } from '../../../test/harness/store-matrix';
import type { DeadLetter } from '../src';
import {
  FollowUpReopener,
  FollowUpsProjection,
  ProjectionRunner,
  StoreFeedProjector,
  fromStoredEvent,
  listFollowUps,
  pendingReopens,
  rebuildProjection,
} from '../src';

const agent: Actor = { type: 'agent', id: 'agent-7' };
const customer: Actor = { type: 'customer', id: 'cust-1', via: { type: 'service', id: 'shop' } };
const T0 = '2026-03-02T09:00:00.000Z';

forEachStore('Follow-up process manager', (openStorage) => {
  let storage: Storage;
  let clock: ManualClock;
  let cases: CaseRepository;
  let runner: ProjectionRunner;
  let projector: StoreFeedProjector;
  let letters: DeadLetter[];
  let reopenHandler: ReopenAfterFollowUpHandler;

  beforeEach(async () => {
    storage = await openStorage();
    clock = new ManualClock(T0);
    const vault = new PersonalDataVault(new SqlCustomerKeyStore(storage.readModels), randomBytes(32));
    await vault.init();
    cases = new CaseRepository(storage.eventStore, vault);
    letters = [];
    runner = new ProjectionRunner(storage.readModels, new FollowUpsProjection(), { send: async (l) => void letters.push(l) });
    await runner.init();
    projector = new StoreFeedProjector(storage.eventStore, runner);
    reopenHandler = new ReopenAfterFollowUpHandler(cases, new PerCaseQueue(), clock, DEFAULT_SLA_POLICY);
  });
  afterEach(async () => storage.close());

  async function run(caseId: string, command: CommandFor<CaseCommand>): Promise<void> {
    const { state } = await cases.load(caseId);
    const events = decide({ ...command, caseId }, state, { clock, slaPolicy: DEFAULT_SLA_POLICY });
    await cases.append(state, events, { actor: command.actor, correlationId: `corr-${command.type}`, commandId: randomUUID() });
  }

  /** A REPAIR case opened at T0 and closed an hour later. */
  async function closedCase(customerId = 'cust-1'): Promise<string> {
    const caseId = randomUUID();
    const payload = {
      orderId: 'ord-1',
      customerId,
      merchantId: 'merch-9',
      type: 'REPAIR',
      channel: 'WEB',
      reason: 'Broken hinge',
      description: 'The lid came off.',
    } as const;
    await run(caseId, { type: 'open', actor: { type: 'service', id: 'shop' }, payload });
    await run(caseId, { type: 'acknowledge', payload: {}, actor: agent });
    await run(caseId, { type: 'assign', payload: { agentId: 'agent-7', team: 'repairs' }, actor: agent });
    await run(caseId, { type: 'propose-resolution', payload: { kind: 'EXPLANATION' }, actor: agent });
    await run(caseId, { type: 'accept-resolution', payload: {}, actor: customer });
    await run(caseId, { type: 'resolve', payload: { summary: 'Explained how to refit it' }, actor: agent });
    clock.set('2026-03-02T10:00:00.000Z');
    await run(caseId, { type: 'close', payload: {}, actor: agent });
    return caseId;
  }

  const reopener = () =>
    new FollowUpReopener(storage.readModels, (p) =>
      reopenHandler.execute(new ReopenAfterFollowUpCommand(p.caseId, p.sequence, { eventId: p.recordedEventId, correlationId: p.correlationId })),
    );
  const reopenings = async (caseId: string) => (await storage.eventStore.readStream(caseStreamId(caseId))).filter((e) => e.type === 'CaseReopened');

  it('schedules the follow-up on close and lists it once it is due by dueBefore', async () => {
    const caseId = await closedCase();
    await projector.catchUp();
    // Closed at 10:00 on 2 March; FOLLOW_UP_DAYS 3 → due at 10:00 on 5 March.
    expect(await listFollowUps(storage.readModels, { dueBefore: '2026-03-05T09:59:59Z' })).toEqual([]);
    clock.set('2026-03-05T10:00:00.000Z');
    expect(await listFollowUps(storage.readModels, { dueBefore: clock.now().toISOString(), status: 'DUE' })).toEqual([
      {
        caseId,
        sequence: 1,
        merchantId: 'merch-9',
        customerId: 'cust-1',
        caseType: 'REPAIR',
        closedAt: '2026-03-02T10:00:00.000Z',
        dueAt: '2026-03-05T10:00:00.000Z',
        status: 'DUE',
        outcome: null,
        recordedAt: null,
      },
    ]);
    expect(await listFollowUps(storage.readModels, { status: 'DONE' })).toEqual([]);
  });

  it('redelivered events (another source, the same events again) do not double a follow-up', async () => {
    await closedCase();
    await projector.catchUp();
    const all = (await storage.eventStore.readAll({ maxCount: 1000 })).map((e) => ({ position: e.position, event: fromStoredEvent(e) }));
    expect(await runner.process('kafka:aftersales.case-events.v1:0', all)).toMatchObject({ applied: 0, skipped: all.length });
    const rows = await storage.readModels.query<{ n: string }>('SELECT count(*) AS n FROM rm_follow_ups');
    expect(Number(rows.rows[0].n)).toBe(1);
    expect(letters).toEqual([]);
  });

  it('ISSUE_RECURRED reopens the case once, by the system actor, caused by the FollowUpRecorded', async () => {
    const caseId = await closedCase();
    clock.set('2026-03-05T11:00:00.000Z');
    await run(caseId, { type: 'record-follow-up', payload: { outcome: 'ISSUE_RECURRED', note: 'Hinge broke again' }, actor: agent });
    await projector.catchUp();
    expect(await listFollowUps(storage.readModels, { status: 'DONE' })).toEqual([
      expect.objectContaining({ caseId, status: 'DONE', outcome: 'ISSUE_RECURRED', recordedAt: '2026-03-05T11:00:00.000Z' }),
    ]);
    expect(await pendingReopens(storage.readModels)).toHaveLength(1);

    expect(await reopener().dispatchPending()).toEqual({ examined: 1, reopened: [caseId], failed: 0 });
    // The reopening was asked for, but its CaseReopened is not projected yet: a crash lost the settle, say.
    await storage.readModels.query(`UPDATE rm_follow_ups SET reopen = 'PENDING' WHERE case_id = $1`, [caseId]);
    // Two reopeners at once (two processes), and the same command redelivered: nothing more is reopened.
    const [a, b] = await Promise.all([reopener().dispatchPending(), reopener().dispatchPending()]);
    expect([...a.reopened, ...b.reopened]).toEqual([]);
    expect(await reopenHandler.execute(new ReopenAfterFollowUpCommand(caseId, 1, { eventId: 'again' }))).toEqual([]);

    const reopened = await reopenings(caseId);
    expect(reopened).toHaveLength(1);
    const recorded = (await storage.eventStore.readStream(caseStreamId(caseId))).find((e) => e.type === 'FollowUpRecorded')!;
    expect(reopened[0].metadata).toMatchObject({ actor: FOLLOW_UP_ACTOR, causationId: recorded.eventId, correlationId: recorded.metadata.correlationId });
    expect((await cases.load(caseId)).state).toMatchObject({ status: 'REOPENED', reopenCount: 1 });

    await projector.catchUp();
    expect(await pendingReopens(storage.readModels)).toEqual([]);
    expect(await reopener().dispatchPending()).toEqual({ examined: 0, reopened: [], failed: 0 });
  });

  it('other outcomes close the follow-up without reopening anything', async () => {
    const caseId = await closedCase();
    await run(caseId, { type: 'record-follow-up', payload: { outcome: 'REACHED_SATISFIED' }, actor: agent });
    await projector.catchUp();
    expect(await pendingReopens(storage.readModels)).toEqual([]);
    expect(await reopener().dispatchPending()).toEqual({ examined: 0, reopened: [], failed: 0 });
    expect(await reopenings(caseId)).toEqual([]);
  });

  it('rebuilds from the store into the same rows, with nothing left to reopen', async () => {
    const recurred = await closedCase('cust-1');
    const pending = await closedCase('cust-2');
    await run(recurred, { type: 'record-follow-up', payload: { outcome: 'ISSUE_RECURRED' }, actor: agent });
    await projector.catchUp();
    await reopener().dispatchPending();
    await projector.catchUp();
    const before = await listFollowUps(storage.readModels, {});
    const progress = await rebuildProjection(storage.readModels, storage.eventStore, new FollowUpsProjection(), { send: async () => undefined });
    expect(progress.state).toBe('done');
    expect(await listFollowUps(storage.readModels, {})).toEqual(before);
    expect(before.map((f) => [f.caseId, f.status])).toEqual(
      expect.arrayContaining([
        [recurred, 'DONE'],
        [pending, 'DUE'],
      ]),
    );
    expect(await pendingReopens(storage.readModels)).toEqual([]);
    expect(await reopenings(recurred)).toHaveLength(1);
  });
});
/** A command without its case id (distributes over the union, so each payload stays tied to its type). */
type CommandFor<C> = C extends CaseCommand ? Omit<C, 'caseId'> : never;
