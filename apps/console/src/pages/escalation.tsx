/** Escalation queue: open cases with level, time left and breach flags; sortable, filterable, refreshed on a timer. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import type { EscalationEntry, EscalationView } from '../api-types';
import { Code, ErrorNotice, Loading, TableWrap, useLoad } from '../components';
import { formatDuration, formatTime } from '../format';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/i18n';

export const REFRESH_SECONDS = 30;

type Column = 'caseId' | 'status' | 'level' | 'priority' | 'team' | 'firstResponse' | 'resolution' | 'state';
const COLUMNS: Array<[Column, MessageKey]> = [
  ['caseId', 'queue.caseId'],
  ['status', 'queue.status'],
  ['level', 'queue.level'],
  ['priority', 'queue.priority'],
  ['team', 'queue.team'],
  ['firstResponse', 'queue.firstResponseLeft'],
  ['resolution', 'queue.resolutionLeft'],
  ['state', 'queue.state'],
];
const PRIORITY_RANK: Record<string, number> = { URGENT: 0, HIGH: 1, NORMAL: 2, LOW: 3 };
const stateRank = (e: EscalationEntry) => (e.breached ? 0 : e.atRisk ? 1 : 2);
const left = (clock: { msLeft?: number; metAt?: string }) => (clock.metAt ? Number.POSITIVE_INFINITY : (clock.msLeft ?? Number.POSITIVE_INFINITY));

function sortValue(e: EscalationEntry, column: Column): string | number {
  switch (column) {
    case 'priority':
      return PRIORITY_RANK[e.priority] ?? 9;
    case 'team':
      return `${e.team ?? ''}/${e.assignee ?? ''}`;
    case 'firstResponse':
      return left(e.firstResponse);
    case 'resolution':
      return left(e.resolution);
    case 'state':
      return stateRank(e);
    default:
      return e[column];
  }
}

type StateFilter = 'all' | 'at-risk' | 'breached';
interface Sort {
  column: Column;
  ascending: boolean;
}

/** What the queue is narrowed to: free text over the case's fields, its state and its escalation level. */
function useQueueFilter() {
  const [text, setText] = useState('');
  const [state, setState] = useState<StateFilter>('all');
  const [level, setLevel] = useState('all');
  return { text, setText, state, setState, level, setLevel };
}
type QueueFilter = ReturnType<typeof useQueueFilter>;

/** Calls `reload` every REFRESH_SECONDS while `auto` is on. */
function useAutoRefresh(auto: boolean, reload: () => void) {
  useEffect(() => {
    if (!auto) return;
    const timer = setInterval(reload, REFRESH_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [auto, reload]);
}

/** The cases the filter keeps, in the sort's order (ties by case id). */
function useQueueRows(cases: EscalationEntry[] | undefined, { text, state, level }: QueueFilter, sort: Sort) {
  return useMemo(() => {
    const needle = text.trim().toLowerCase();
    const kept = (cases ?? []).filter(
      (e) =>
        (state === 'all' || (state === 'breached' ? e.breached : e.atRisk && !e.breached)) &&
        (level === 'all' || e.level === level) &&
        (!needle || [e.caseId, e.status, e.merchantId, e.customerId, e.team, e.assignee, e.type, e.priority].some((v) => v?.toLowerCase().includes(needle))),
    );
    const direction = sort.ascending ? 1 : -1;
    return [...kept].sort((a, b) => {
      const x = sortValue(a, sort.column);
      const y = sortValue(b, sort.column);
      return (x < y ? -1 : x > y ? 1 : a.caseId.localeCompare(b.caseId)) * direction;
    });
  }, [cases, text, state, level, sort]);
}

export function EscalationPage({ canOpenTimeline }: { canOpenTimeline: boolean }) {
  const { t, language } = useI18n();
  const view = useLoad(() => api.get<EscalationView>('/views/escalation?limit=1000'), []);
  const [auto, setAuto] = useState(true);
  const filter = useQueueFilter();
  const [sort, setSort] = useState<Sort>({ column: 'resolution', ascending: true });
  useAutoRefresh(auto, view.reload);
  const rows = useQueueRows(view.data?.cases, filter, sort);
  const toggle = (column: Column) => setSort((s) => ({ column, ascending: s.column === column ? !s.ascending : true }));
  return (
    <>
      <QueueToolbar filter={filter} auto={auto} setAuto={setAuto} reload={view.reload} />
      <p class="muted" role="status" aria-live="polite">
        {view.data && t('queue.summary', { shown: rows.length, total: view.data.total, at: formatTime(view.data.asOf, language) })}
      </p>
      <Loading when={view.loading && !view.data} />
      <ErrorNotice error={view.error} />
      {view.data && (
        <TableWrap label={t('page.escalation')}>
          <table id="escalation-queue">
            <SortableHead sort={sort} toggle={toggle} />
            <tbody>
              {rows.map((e) => (
                <QueueRow key={e.caseId} entry={e} canOpenTimeline={canOpenTimeline} />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}

function QueueToolbar({ filter, auto, setAuto, reload }: { filter: QueueFilter; auto: boolean; setAuto: (auto: boolean) => void; reload: () => void }) {
  const { t } = useI18n();
  const { text, setText, state, setState, level, setLevel } = filter;
  return (
    <form class="toolbar" onSubmit={(e) => e.preventDefault()}>
      <label>
        {t('queue.filter')}
        <input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder={t('queue.filterHint')} />
      </label>
      <label>
        {t('queue.state')}
        <select value={state} onChange={(e) => setState(e.currentTarget.value as StateFilter)}>
          <option value="all">{t('queue.all')}</option>
          <option value="at-risk">{t('queue.atRisk')}</option>
          <option value="breached">{t('queue.breached')}</option>
        </select>
      </label>
      <label>
        {t('queue.level')}
        <select value={level} onChange={(e) => setLevel(e.currentTarget.value)}>
          <option value="all">{t('queue.all')}</option>
          {['L0', 'L1', 'L2', 'L3'].map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label class="check">
        <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.currentTarget.checked)} />
        {t('queue.autoRefresh', { seconds: REFRESH_SECONDS })}
      </label>
      <button type="button" onClick={reload}>
        {t('common.refresh')}
      </button>
    </form>
  );
}

/** The queue's header row: each column header is a button that sorts by it (again to reverse). */
function SortableHead({ sort, toggle }: { sort: Sort; toggle: (column: Column) => void }) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        {COLUMNS.map(([column, label]) => (
          <th key={column} scope="col" aria-sort={sort.column === column ? (sort.ascending ? 'ascending' : 'descending') : 'none'}>
            <button type="button" class="sort" onClick={() => toggle(column)}>
              {t(label)}
              <span aria-hidden="true">{sort.column === column ? (sort.ascending ? ' ▲' : ' ▼') : ''}</span>
            </button>
          </th>
        ))}
      </tr>
    </thead>
  );
}

function ClockCell({ clock }: { clock: { msLeft?: number; metAt?: string; dueAt: string } }) {
  const { t, language } = useI18n();
  return clock.metAt ? (
    <span class="muted">{t('queue.met')}</span>
  ) : (
    <span title={formatTime(clock.dueAt, language)}>{formatDuration(clock.msLeft, language)}</span>
  );
}

function QueueRow({ entry: e, canOpenTimeline }: { entry: EscalationEntry; canOpenTimeline: boolean }) {
  const { t } = useI18n();
  return (
    <tr data-case={e.caseId} class={e.breached ? 'row-bad' : e.atRisk ? 'row-warn' : ''}>
      <th scope="row">{canOpenTimeline ? <a href={`#/timeline/${encodeURIComponent(e.caseId)}`}>{e.caseId}</a> : <Code>{e.caseId}</Code>}</th>
      <td>
        <Code>{e.status}</Code>
      </td>
      <td>{e.level}</td>
      <td>{e.priority}</td>
      <td>{[e.team, e.assignee].filter(Boolean).join(' / ') || t('queue.unassigned')}</td>
      <td>
        <ClockCell clock={e.firstResponse} />
      </td>
      <td>{e.resolution.paused ? t('queue.paused') : <ClockCell clock={e.resolution} />}</td>
      <td data-state={e.breached ? 'breached' : e.atRisk ? 'at-risk' : 'on-track'}>
        {e.breached ? t('queue.breached') : e.atRisk ? t('queue.atRisk') : t('queue.onTrack')}
      </td>
    </tr>
  );
}
