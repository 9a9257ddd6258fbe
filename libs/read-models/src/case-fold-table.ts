/**
 * A per-case view table whose rows are the case folded with the domain's own `evolve` (the pure reducer),
 * plus columns derived from that state for filtering and aggregation. Projections differ only in the columns.
 * A batch is written with one statement whatever its size: the rows go as one JSON document unpacked by
 * `jsonb_to_recordset` (one parameter, one plan; PostgreSQL and PGlite alike). The fold of each event and the
 * JSON of each state are shared by the tables that fold the same event object from the same state (case-fold-memo).
 */
import type { CaseState } from '@aftersales/case-domain';
import type { SqlQueryable } from '@aftersales/sql-client';
import type { ProjectedEvent } from './projected-event';
import { caseIdOf, isCaseStream } from './projected-event';
import type { FoldedFrom } from './case-fold-memo';
import { foldOnce, sqlScalar, stateJson } from './case-fold-memo';

export { foldEvent, toCaseEvent } from './case-fold-memo';

export interface DerivedColumn {
  name: string;
  sqlType: string;
  value: (state: CaseState) => unknown;
}

/**
 * Rows of about 2 kB (the state) are kept in the table's pages uncompressed: PostgreSQL otherwise compresses every
 * row above 2 kB on each write (about a third of a write's cost), and only rows above 8 kB still are. Tables made
 * before keep their setting until they are next rebuilt; their rows read the same either way.
 */
const WIDE_ROWS = 'WITH (toast_tuple_target = 8160)';

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
    return `CREATE TABLE IF NOT EXISTS ${t} (\n  case_id TEXT PRIMARY KEY,\n  state JSONB NOT NULL,\n${cols}\n) ${WIDE_ROWS};\n${idx}`;
  }

  async apply(tx: SqlQueryable, events: ProjectedEvent[], suffix: string): Promise<CaseState[]> {
    const caseEvents = events.filter((e) => isCaseStream(e.streamId));
    if (caseEvents.length === 0) return [];
    const t = `${this.table}${suffix}`;
    const ids = [...new Set(caseEvents.map((e) => caseIdOf(e.streamId)))];
    // As text: the stored state is parsed only where this batch's fold is not already known for it (case-fold-memo).
    const loaded = await tx.query<{ case_id: string; state: string }>(`SELECT case_id, state::text AS state FROM ${t} WHERE case_id = ANY($1::text[])`, [ids]);
    const folded = new Map<string, FoldedFrom>(loaded.rows.map((r) => [r.case_id, r.state]));
    for (const event of caseEvents) {
      const id = caseIdOf(event.streamId);
      folded.set(id, foldOnce(folded.get(id), id, event));
    }
    const touched = ids.map((id) => folded.get(id) as CaseState).filter((s) => s.exists);
    await this.upsert(tx, t, touched);
    return touched;
  }

  private async upsert(tx: SqlQueryable, table: string, states: CaseState[]): Promise<void> {
    if (states.length === 0) return;
    await tx.query(this.upsertStatement(table), [`[${states.map((s) => this.rowJson(s)).join(',')}]`]);
  }

  /** `{"state":…,"case_id":…,<column>:…}`: the state's JSON as made once for every table, the derived columns as SQL scalars. */
  private rowJson(state: CaseState): string {
    const row: Record<string, unknown> = { case_id: state.caseId };
    for (const c of this.columns) row[c.name] = sqlScalar(c.value(state));
    return `{"state":${stateJson(state)},${JSON.stringify(row).slice(1)}`;
  }

  private upsertStatement(table: string): string {
    const names = ['case_id', 'state', ...this.columns.map((c) => c.name)];
    const types = ['text', 'jsonb', ...this.columns.map((c) => castOf(c.sqlType))];
    const updates = names
      .slice(1)
      .map((n) => `${n} = EXCLUDED.${n}`)
      .join(', ');
    return `INSERT INTO ${table} (${names.join(', ')}) SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${names.map((n, i) => `${n} ${types[i]}`).join(', ')})
      ON CONFLICT (case_id) DO UPDATE SET ${updates}`;
  }
}

/** The column's type without its constraints (`INTEGER NOT NULL DEFAULT 0` → `integer`). */
function castOf(sqlType: string | undefined): string {
  return (sqlType ?? 'text')
    .replace(/\s+(NOT\s+NULL|DEFAULT)\b.*$/i, '')
    .trim()
    .toLowerCase();
}

export function minutesBetween(from: string | undefined, to: string | undefined, minusMs = 0): number | null {
  if (!from || !to) return null;
  return Math.round(((Date.parse(to) - Date.parse(from) - minusMs) / 60_000) * 100) / 100;
}
