/**
 * A per-case view table whose rows are the case folded with the domain's own `evolve` (the pure reducer),
 * plus columns derived from that state for filtering and aggregation. Projections differ only in the columns.
 */
import type { CaseEvent, CaseState } from '@aftersales/case-domain';
import { evolve, initialCaseState, isCaseEventType } from '@aftersales/case-domain';
import type { SqlQueryable } from '@aftersales/sql-client';
import type { ProjectedEvent } from './projected-event';
import { caseIdOf, isCaseStream } from './projected-event';
import { PoisonEventError } from './poison-event';

export interface DerivedColumn {
  name: string;
  sqlType: string;
  value: (state: CaseState) => unknown;
}

export function toCaseEvent(event: ProjectedEvent): CaseEvent {
  return { type: event.type, data: event.data, occurredAt: event.occurredAt, actor: event.actor } as CaseEvent;
}

/** Folds one event; throws PoisonEventError on an event whose data cannot be folded (it is then dead-lettered). */
export function foldEvent(state: CaseState, event: ProjectedEvent): CaseState {
  if (!isCaseEventType(event.type)) return state;
  const poison = (reason: string) => new PoisonEventError(event.eventId, reason);
  if (event.type !== 'CaseOpened' && !state.exists) throw poison(`${event.type} for case ${state.caseId} before CaseOpened`);
  if (!event.data || typeof event.data !== 'object') throw poison(`${event.type} has no data`);
  let next: CaseState;
  try {
    next = evolve(state, toCaseEvent(event));
  } catch (error) {
    throw poison(`${event.type} cannot be folded: ${(error as Error).message}`);
  }
  if (event.type === 'CaseOpened' && (!next.sla?.resolutionDueAt || !next.customerId)) {
    throw poison('CaseOpened lacks its SLA terms or customer');
  }
  return next;
}

export class CaseFoldTable {
  constructor(
    readonly table: string,
    readonly columns: DerivedColumn[],
    readonly indexes: string[] = [],
  ) {}

  ddl(suffix: string): string {
    const t = `${this.table}${suffix}`;
    const cols = this.columns.map((c) => `  ${c.name} ${c.sqlType}`).join(',\n');
    const idx = this.indexes.map((cols, i) => `CREATE INDEX IF NOT EXISTS ${t}_i${i} ON ${t} (${cols});`).join('\n');
    return `CREATE TABLE IF NOT EXISTS ${t} (\n  case_id TEXT PRIMARY KEY,\n  state JSONB NOT NULL,\n${cols}\n);\n${idx}`;
  }

  async apply(tx: SqlQueryable, events: ProjectedEvent[], suffix: string): Promise<CaseState[]> {
    const caseEvents = events.filter((e) => isCaseStream(e.streamId));
    if (caseEvents.length === 0) return [];
    const t = `${this.table}${suffix}`;
    const ids = [...new Set(caseEvents.map((e) => caseIdOf(e.streamId)))];
    const loaded = await tx.query<{ case_id: string; state: CaseState }>(`SELECT case_id, state FROM ${t} WHERE case_id = ANY($1::text[])`, [ids]);
    const states = new Map(loaded.rows.map((r) => [r.case_id, r.state]));
    for (const event of caseEvents) {
      const id = caseIdOf(event.streamId);
      states.set(id, foldEvent(states.get(id) ?? initialCaseState(id), event));
    }
    const touched = ids.map((id) => states.get(id)!).filter((s) => s.exists);
    await this.upsert(tx, t, touched);
    return touched;
  }

  private async upsert(tx: SqlQueryable, table: string, states: CaseState[]): Promise<void> {
    if (states.length === 0) return;
    const names = ['case_id', 'state', ...this.columns.map((c) => c.name)];
    const params: unknown[] = [];
    const tuples = states.map((state) => {
      const values = [state.caseId, JSON.stringify(state), ...this.columns.map((c) => c.value(state) ?? null)];
      const base = params.length;
      params.push(...values);
      return `(${values.map((_, i) => `$${base + i + 1}${i === 1 ? '::jsonb' : `::${castOf(this.columns[i - 2]?.sqlType)}`}`).join(', ')})`;
    });
    const updates = names
      .slice(1)
      .map((n) => `${n} = EXCLUDED.${n}`)
      .join(', ');
    await tx.query(`INSERT INTO ${table} (${names.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (case_id) DO UPDATE SET ${updates}`, params);
  }
}

function castOf(sqlType: string | undefined): string {
  return (sqlType ?? 'text').replace(/\s+NOT\s+NULL.*$/i, '').toLowerCase();
}

export function minutesBetween(from: string | undefined, to: string | undefined, minusMs = 0): number | null {
  if (!from || !to) return null;
  return Math.round(((Date.parse(to) - Date.parse(from) - minusMs) / 60_000) * 100) / 100;
}
