/**
 * Commands decided on cached case states stay correct when another writer (another process or replica on the
 * same store) changed the case meanwhile: two repositories, each with its own cache, share one real store.
 */
import { DEFAULT_SLA_POLICY, IllegalTransitionError, ManualClock, initialCaseState } from '@aftersales/case-domain';
import type { Actor, CaseAction, CaseState, OpenCasePayload } from '@aftersales/case-domain';
import { PersonalDataVault, SqlCustomerKeyStore } from '@aftersales/personal-data';
import { TriageAnalyser } from '@aftersales/triage';
import { randomBytes } from 'node:crypto';
import type { Storage } from '@aftersales/storage';
import { CaseRepository, CaseStateCache, OpenCaseCommand, PerCaseQueue, RunCaseActionCommand, StaleRevisionError } from '@aftersales/case-application';
import { OpenCaseHandler } from '../src/commands/open-case.handler';
import { NO_CALENDARS, NO_LOYALTY_TIERS, NO_PRIOR_CASES, customerAtOpeningOf } from '../src/open-case-lookups';
import { RunCaseActionHandler } from '../src/commands/run-case-action.handler';
import { forEachStore } from '../../../test/harness/store-matrix';

const agent: Actor = { type: 'agent', id: 'agent-1' };
const service: Actor = { type: 'service', id: 'shop' };
const OPEN = {
  orderId: 'ord-1',
  customerId: 'cust-1',
  merchantId: 'merch-1',
  type: 'COMPLAINT',
  channel: 'WEB',
  reason: 'Late delivery',
  description: 'The parcel is a week late.',
} as unknown as OpenCasePayload;

forEachStore('Case state cache: two writers on one store', (openStorage) => {
  let storage: Storage;
  const clock = new ManualClock();
  const triage = new TriageAnalyser();
  const writer = (cache: CaseStateCache) => {
    const vault = new PersonalDataVault(new SqlCustomerKeyStore(storage.readModels), randomBytes(32));
    const cases = new CaseRepository(storage.eventStore, vault, cache);
    return {
      open: new OpenCaseHandler(cases, clock, DEFAULT_SLA_POLICY, vault, NO_CALENDARS, customerAtOpeningOf(NO_LOYALTY_TIERS, NO_PRIOR_CASES), triage),
      act: new RunCaseActionHandler(cases, new PerCaseQueue(), clock, DEFAULT_SLA_POLICY, vault, triage),
    };
  };
  const run = (w: ReturnType<typeof writer>, caseId: string, action: CaseAction, payload: object = {}, expectedRevision?: number) =>
    w.act.execute(new RunCaseActionCommand(caseId, action, payload, expectedRevision, { caller: agent, correlationId: 'c-1' }));

  beforeEach(async () => {
    storage = await openStorage();
    await new SqlCustomerKeyStore(storage.readModels).init();
  });
  afterEach(async () => {
    await storage.close();
  });

  it('given A holds an acknowledged case and B moved it on, when A runs the next action, then it lands after B', async () => {
    const cacheA = new CaseStateCache();
    const a = writer(cacheA);
    const b = writer(new CaseStateCache());
    const opened = await a.open.execute(new OpenCaseCommand(OPEN, { caller: service, correlationId: 'c-0' }));
    await run(a, opened.caseId, 'acknowledge');
    expect(cacheA.get(opened.caseId)?.revision).toBe(2); // opened, triaged, acknowledged

    await run(b, opened.caseId, 'assign', { agentId: 'agent-2', team: 'care' });
    const answer = await run(a, opened.caseId, 'reply', { message: 'We are on it' });

    expect(answer.revision).toBe(4);
    const stream = await storage.eventStore.readStream(`case-${opened.caseId}`);
    expect(stream.map((e) => e.type)).toEqual(['CaseOpened', 'CaseTriaged', 'CaseAcknowledged', 'CaseAssigned', 'AgentReplied']);
  });

  it('given A holds an old state, when the client sends the revision B produced, then A accepts it after a fresh read', async () => {
    const a = writer(new CaseStateCache());
    const b = writer(new CaseStateCache());
    const opened = await a.open.execute(new OpenCaseCommand(OPEN, { caller: service, correlationId: 'c-0' }));
    await run(a, opened.caseId, 'acknowledge');
    const byB = await run(b, opened.caseId, 'assign', { agentId: 'agent-2', team: 'care' });

    const answer = await run(a, opened.caseId, 'reply', { message: 'Hello' }, byB.revision);
    expect(answer.revision).toBe(byB.revision + 1);
  });

  it('given A holds an old state, when the action is illegal only in A’s old state, then A refuses on the fresh one and writes nothing', async () => {
    const a = writer(new CaseStateCache());
    const b = writer(new CaseStateCache());
    const opened = await a.open.execute(new OpenCaseCommand(OPEN, { caller: service, correlationId: 'c-0' }));
    await run(a, opened.caseId, 'acknowledge');
    await run(b, opened.caseId, 'reject', { reasonCode: 'OUT_OF_SCOPE' });
    // In A's cached state (ACKNOWLEDGED) a withdrawal is allowed; in the stream the case is REJECTED.
    await expect(run(a, opened.caseId, 'withdraw', { reason: 'changed my mind' })).rejects.toBeInstanceOf(IllegalTransitionError);
    const stream = await storage.eventStore.readStream(`case-${opened.caseId}`);
    expect(stream.map((e) => e.type)).toEqual(['CaseOpened', 'CaseTriaged', 'CaseAcknowledged', 'CaseRejected']);
  });

  it('given a stale revision from the client, when the store agrees it is stale, then the answer is a refusal and nothing is written', async () => {
    const a = writer(new CaseStateCache());
    const opened = await a.open.execute(new OpenCaseCommand(OPEN, { caller: service, correlationId: 'c-0' }));
    await run(a, opened.caseId, 'acknowledge');
    await expect(run(a, opened.caseId, 'assign', { agentId: 'agent-1' }, 0)).rejects.toBeInstanceOf(StaleRevisionError);
    expect(await storage.eventStore.readStream(`case-${opened.caseId}`)).toHaveLength(3);
  });
});

describe('Case state cache', () => {
  it('keeps at most its bound of states, least recently used first out', () => {
    const cache = new CaseStateCache(2);
    const state = (caseId: string, revision: number): CaseState => ({ ...initialCaseState(caseId), revision, exists: true });
    cache.remember(state('a', 0));
    cache.remember(state('b', 0));
    cache.get('a');
    cache.remember(state('c', 0));
    expect([cache.get('a') !== undefined, cache.get('b') !== undefined, cache.get('c') !== undefined]).toEqual([true, false, true]);
    cache.remember(state('a', 5));
    cache.remember(state('a', 3));
    expect(cache.get('a')?.revision).toBe(5);
  });
});
