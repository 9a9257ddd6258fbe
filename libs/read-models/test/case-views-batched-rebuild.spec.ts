/**
 * The batched replay path (one shared reader, large pages, one statement per table and page, each fold shared by
 * the case views) writes exactly the rows that applying the events one at a time writes, for the escalation,
 * satisfaction and loyalty views, and each case's stored state is the domain's own fold of its history.
 */
import type { CaseEvent } from '@aftersales/case-domain';
import { foldCase } from '@aftersales/case-domain';
import type { StoredEvent } from '@aftersales/event-store';
import type { Storage } from '@aftersales/storage';
import { CaseGenerator } from '../../../apps/bench/src/case-generator';
import { forEachStore } from '../../../test/harness/store-matrix';
import {
  EscalationProjection,
  FEED_SOURCE,
  LoyaltyProjection,
  ProjectionRunner,
  SatisfactionProjection,
  catchUpTogether,
  feedItem,
  rebuildProjection,
  tableOnlyDeadLetters,
  walkWholeFeed,
} from '../src';

const TABLES = { rm_escalation_cases: 'case_id', rm_satisfaction_cases: 'case_id', rm_loyalty_cases: 'case_id', rm_loyalty_orders: 'order_id' };
const CASES = 24;

forEachStore('case views rebuilt in batches', (openStorage) => {
  let storage: Storage;
  let stored: StoredEvent[];

  const runners = async (suffix: string) => {
    const all = [new EscalationProjection(), new SatisfactionProjection(), new LoyaltyProjection()].map(
      (p) => new ProjectionRunner(storage.readModels, p, tableOnlyDeadLetters, suffix),
    );
    for (const runner of all) await runner.init();
    return all;
  };
  /** Every row of every table, in key order, each as JSON (the state as stored). */
  const rows = async (suffix: string) => {
    const out: Record<string, unknown[]> = {};
    for (const [table, key] of Object.entries(TABLES)) {
      const result = await storage.readModels.query<{ row: unknown }>(`SELECT to_jsonb(t) AS row FROM ${table}${suffix} t ORDER BY ${key}`);
      out[table] = result.rows.map((r) => r.row);
    }
    return out;
  };
  const oneByOne = async (suffix: string) => {
    for (const runner of await runners(suffix)) for (const e of stored) await runner.process(FEED_SOURCE, [feedItem(e)]);
    return rows(suffix);
  };

  beforeAll(async () => {
    storage = await openStorage();
    const generator = new CaseGenerator(7);
    for (let i = 0; i < CASES; i++) for (const s of generator.next()) await storage.eventStore.append(s.streamId, s.events, 'no_stream');
    stored = [];
    await walkWholeFeed(storage.eventStore, (page) => void stored.push(...page));
  }, 120_000);
  afterAll(async () => storage.close());

  it('given generated histories, when the views are caught up together in pages, then every row is the one applying each event alone gives', async () => {
    const single = await oneByOne('_single');
    expect(single.rm_escalation_cases).toHaveLength(CASES);
    expect(single.rm_loyalty_orders).toHaveLength(CASES);

    // Pages of 29 split most cases' histories (about a dozen events each) across two pages.
    expect(await catchUpTogether(storage.eventStore, await runners('_paged'), 29)).toBe(stored.length);
    expect(await rows('_paged')).toEqual(single);

    const histories = new Map<string, CaseEvent[]>();
    for (const e of stored.filter((s) => s.streamId.startsWith('case-'))) {
      const caseId = e.streamId.slice('case-'.length);
      histories.set(caseId, [
        ...(histories.get(caseId) ?? []),
        { type: e.type, data: e.data, occurredAt: e.metadata.occurredAt, actor: e.metadata.actor } as CaseEvent,
      ]);
    }
    for (const row of single.rm_satisfaction_cases as Array<{ case_id: string; state: unknown }>) {
      expect(row.state).toEqual(JSON.parse(JSON.stringify(foldCase(row.case_id, histories.get(row.case_id)!))));
    }
  }, 120_000);

  it('given views at different checkpoints and one case missing from one view, when they catch up together, then every row is still the one applying each event alone gives', async () => {
    // A case whose history the middle of the feed splits; its satisfaction row is then deleted, so that view folds
    // the case's later events from no row (each is dead-lettered) while the other two fold them from their rows.
    const mid = stored.findIndex((e, i) => i >= stored.length / 2 && e.streamId.startsWith('case-') && stored[i - 1].streamId === e.streamId);
    const caseId = stored[mid].streamId.slice('case-'.length);
    const firstHalfThenDelete = async (suffix: string, views: ProjectionRunner[]) => {
      for (const runner of views) for (const e of stored.slice(0, mid)) await runner.process(FEED_SOURCE, [feedItem(e)]);
      await storage.readModels.query(`DELETE FROM rm_satisfaction_cases${suffix} WHERE case_id = $1`, [caseId]);
    };
    const single = await runners('_single_b');
    await firstHalfThenDelete('_single_b', single.slice(0, 2));
    for (const runner of single) for (const e of stored.slice(runner === single[2] ? 0 : mid)) await runner.process(FEED_SOURCE, [feedItem(e)]);

    const staggered = await runners('_staggered');
    await firstHalfThenDelete('_staggered', staggered.slice(0, 2));
    await catchUpTogether(storage.eventStore, staggered, 31);

    const expected = await rows('_single_b');
    expect((expected.rm_satisfaction_cases as Array<{ case_id: string }>).map((r) => r.case_id)).not.toContain(caseId);
    expect((expected.rm_escalation_cases as Array<{ case_id: string }>).map((r) => r.case_id)).toContain(caseId);
    expect(await rows('_staggered')).toEqual(expected);
    const letters = async (key: string) =>
      (await storage.readModels.query<{ event_id: string }>('SELECT event_id FROM projection_dead_letters WHERE projection = $1 ORDER BY id', [key])).rows;
    expect(await letters('satisfaction_staggered')).toEqual(await letters('satisfaction_single_b'));
    expect((await letters('satisfaction_staggered')).length).toBeGreaterThan(0);
  }, 120_000);

  it('given the live views, when one is rebuilt, then its rows are the ones applying each event alone gives', async () => {
    const single = await oneByOne('');
    await storage.readModels.query('DELETE FROM rm_escalation_cases');
    const progress = await rebuildProjection(storage.readModels, storage.eventStore, new EscalationProjection(), tableOnlyDeadLetters);
    expect(progress).toMatchObject({ state: 'done', processed: stored.filter((e) => e.streamId.startsWith('case-')).length });
    expect(await rows('')).toEqual(single);
  }, 120_000);
});
