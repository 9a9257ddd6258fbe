/** The check behind every fault test: each case's row in each view equals the fold of its stream in the store. */
import { foldCase } from '@aftersales/case-domain';
import { caseStreamId, toDomainEvent } from '@aftersales/case-application';
import { canonicalJson } from '@aftersales/event-store';
import type { ApiUnderTest } from './api-under-test';

export const VIEW_TABLES = ['rm_escalation_cases', 'rm_satisfaction_cases', 'rm_loyalty_cases'];

/** True when no case is missing from a view and no view holds anything but the fold of the store. */
export async function viewsMatchStore(api: ApiUnderTest, caseIds: string[]): Promise<boolean> {
  for (const table of VIEW_TABLES) {
    const rows = await api.storage.readModels.query<{ case_id: string; state: unknown }>(
      `SELECT case_id, state FROM ${table} WHERE case_id = ANY($1::text[])`,
      [caseIds],
    );
    if (rows.rows.length !== caseIds.length) return false;
    for (const row of rows.rows) {
      const folded = foldCase(row.case_id, (await api.store.readStream(caseStreamId(row.case_id))).map(toDomainEvent));
      if (canonicalJson(row.state) !== canonicalJson(JSON.parse(JSON.stringify(folded)))) return false;
    }
  }
  return true;
}

/** Polls `probe` until `done` holds, or fails with the last value seen. */
export async function waitFor<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}
