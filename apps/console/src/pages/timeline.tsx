/**
 * Case timeline: every event of a case with its actor, times and metadata (a CaseTriaged event with its evidence);
 * a slider over the event times that shows the case as it was at that moment (GET /cases/{id}?asOf=); and, for
 * auditors, the hash-chain check.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { CaseView, ChainCheck, HistoryEntry, TriageData } from '../api-types';
import type { Loaded } from '../components';
import { Code, ErrorNotice, Loading, useLoad } from '../components';
import { formatDuration, formatTime } from '../format';
import { useI18n } from '../i18n/i18n';
import type { Role } from '../roles';
import { may } from '../roles';
import { TriageEvidence } from './triage-evidence';

export function TimelinePage({ role, caseId, open }: { role: Role; caseId?: string; open: (caseId: string) => void }) {
  const { t } = useI18n();
  const [entered, setEntered] = useState(caseId ?? '');
  useEffect(() => setEntered(caseId ?? ''), [caseId]);
  return (
    <>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (entered.trim()) open(entered.trim());
        }}
      >
        <label>
          {t('timeline.caseId')}
          <input name="caseId" size={38} value={entered} onInput={(e) => setEntered(e.currentTarget.value)} required autoComplete="off" spellcheck={false} />
        </label>
        <button type="submit">{t('timeline.show')}</button>
      </form>
      {caseId && <CaseTimeline key={caseId} role={role} caseId={caseId} />}
    </>
  );
}

/** The case's events, now and as it was after the chosen event (the last one until the slider moves). */
function useCaseHistory(caseId: string) {
  const path = `/cases/${encodeURIComponent(caseId)}`;
  const events = useLoad(() => api.get<HistoryEntry[]>(`${path}/events`), [caseId]);
  const now = useLoad(() => api.get<CaseView>(path), [caseId]);
  const history = events.data ?? [];
  const [index, setIndex] = useState<number | null>(null);
  const position = index ?? history.length - 1;
  const moment = history[position]?.occurredAt;
  const [asOfTime, setAsOfTime] = useState<string | undefined>(undefined);
  useEffect(() => {
    const timer = setTimeout(() => setAsOfTime(moment), 150); // follows a dragged slider without a call per step
    return () => clearTimeout(timer);
  }, [moment]);
  const then = useLoad(() => api.get<CaseView>(`${path}?asOf=${encodeURIComponent(asOfTime!)}`), [caseId, asOfTime], asOfTime !== undefined);
  return { events, history, position, setIndex, now, then };
}
type CaseHistory = ReturnType<typeof useCaseHistory>;

function CaseTimeline({ role, caseId }: { role: Role; caseId: string }) {
  const timeline = useCaseHistory(caseId);
  const chain = useLoad(() => api.get<ChainCheck>(`/audit/cases/${encodeURIComponent(caseId)}/verify`), [caseId], may.verifyChain(role));
  const { events, history, position } = timeline;
  return (
    <>
      <Loading when={events.loading} />
      <ErrorNotice error={events.error} />
      {may.verifyChain(role) && <ChainPanel chain={chain} />}
      {history.length > 0 && <AsOfPanel timeline={timeline} />}
      {history.length > 0 && <EventList history={history} position={position} />}
    </>
  );
}

function ChainPanel({ chain }: { chain: Loaded<ChainCheck> }) {
  const { t, language } = useI18n();
  return (
    <section aria-labelledby="chain" class="panel">
      <h2 id="chain">{t('timeline.chain')}</h2>
      <Loading when={chain.loading} />
      <ErrorNotice error={chain.error} />
      {chain.data && (
        <p id="chain-result" data-valid={String(chain.data.valid)} class={chain.data.valid ? 'ok' : 'bad'}>
          {chain.data.valid
            ? t('timeline.chainValid', { events: chain.data.events })
            : t('timeline.chainBroken', {
                revision: String(chain.data.firstBrokenLink?.revision ?? '?'),
                reason: String(chain.data.firstBrokenLink?.reason ?? ''),
              })}{' '}
          <span class="muted">{t('timeline.verifiedAt', { at: formatTime(chain.data.verifiedAt, language) })}</span>
        </p>
      )}
    </section>
  );
}

function AsOfPanel({ timeline: { history, position, setIndex, now, then } }: { timeline: CaseHistory }) {
  const { t, language } = useI18n();
  const moment = history[position]?.occurredAt;
  return (
    <section aria-labelledby="as-of" class="panel">
      <h2 id="as-of">{t('timeline.asOf')}</h2>
      <label class="slider">
        <span>{t('timeline.moment')}</span>
        <input
          id="as-of-slider"
          type="range"
          min={0}
          max={history.length - 1}
          step={1}
          value={position}
          aria-valuetext={`${formatTime(moment, language)} — ${history[position]?.type}`}
          onInput={(e) => setIndex(Number(e.currentTarget.value))}
        />
      </label>
      <p>
        <output id="as-of-time">{formatTime(moment, language)}</output> ·{' '}
        {t('timeline.afterEvent', { revision: history[position]?.revision, type: history[position]?.type })}
      </p>
      <div class="split">
        <StateCard id="state-then" title={t('timeline.stateThen')} view={then.data} loading={then.loading} />
        <StateCard id="state-now" title={t('timeline.stateNow')} view={now.data} loading={now.loading} />
      </div>
      <ErrorNotice error={then.error ?? now.error} />
    </section>
  );
}

/** Every event, oldest first; those after the slider's moment are marked later. */
function EventList({ history, position }: { history: HistoryEntry[]; position: number }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="events">
      <h2 id="events">{t('timeline.events', { count: history.length })}</h2>
      <ol class="events" id="event-list">
        {history.map((e, i) => (
          <EventItem key={e.eventId} event={e} later={i > position} />
        ))}
      </ol>
    </section>
  );
}

function EventItem({ event: e, later }: { event: HistoryEntry; later: boolean }) {
  const { t, language } = useI18n();
  return (
    <li class={later ? 'later' : ''} data-revision={e.revision}>
      <div class="event-head">
        <Code>{e.type}</Code>
        <span>
          {t('timeline.revision')} {e.revision}
        </span>
        <span>{formatTime(e.occurredAt, language)}</span>
        <span class="actor">
          {t('timeline.actor')}: {e.actor.type}:{e.actor.id}
        </span>
      </div>
      {e.type === 'CaseTriaged' && e.data !== null && typeof e.data === 'object' && <TriageEvidence data={e.data as TriageData} />}
      <EventMetadata event={e} />
    </li>
  );
}

function EventMetadata({ event: e }: { event: HistoryEntry }) {
  const { t, language } = useI18n();
  return (
    <details>
      <summary>{t('timeline.metadata')}</summary>
      <dl class="meta">
        <dt>{t('timeline.eventId')}</dt>
        <dd>
          <Code>{e.eventId}</Code>
        </dd>
        <dt>{t('timeline.occurredAt')}</dt>
        <dd>{formatTime(e.occurredAt, language)}</dd>
        <dt>{t('timeline.recordedAt')}</dt>
        <dd>{formatTime(e.recordedAt, language)}</dd>
        <dt>{t('timeline.schemaVersion')}</dt>
        <dd>{e.schemaVersion}</dd>
        <dt>{t('timeline.correlation')}</dt>
        <dd>
          <Code>{e.correlationId}</Code>
        </dd>
        <dt>{t('timeline.causation')}</dt>
        <dd>
          <Code>{e.causationId}</Code>
        </dd>
        {e.hash && (
          <>
            <dt>{t('timeline.hash')}</dt>
            <dd>
              <Code>{e.hash}</Code>
            </dd>
          </>
        )}
      </dl>
      <pre class="data" tabIndex={0} aria-label={t('timeline.data')}>
        {JSON.stringify(e.data, null, 2)}
      </pre>
    </details>
  );
}

function StateCard({ id, title, view, loading }: { id: string; title: string; view?: CaseView; loading: boolean }) {
  const { t, language } = useI18n();
  return (
    <div class="card" id={id} aria-busy={loading}>
      <h3>{title}</h3>
      {view && (
        <dl>
          <dt>{t('timeline.status')}</dt>
          <dd data-field="status">
            <Code>{view.status}</Code>
          </dd>
          <dt>{t('timeline.revision')}</dt>
          <dd data-field="revision">{view.revision}</dd>
          <dt>{t('queue.level')}</dt>
          <dd data-field="level">{view.escalation.level}</dd>
          <dt>{t('queue.team')}</dt>
          <dd data-field="assignee">{view.assignee ? [view.assignee.team, view.assignee.agentId].filter(Boolean).join(' / ') : t('queue.unassigned')}</dd>
          <dt>{t('queue.firstResponseLeft')}</dt>
          <dd>{view.sla.firstResponse.metAt ? t('queue.met') : formatDuration(view.sla.firstResponse.msLeft, language)}</dd>
          <dt>{t('queue.resolutionLeft')}</dt>
          <dd>{view.sla.resolution.metAt ? t('queue.met') : formatDuration(view.sla.resolution.msLeft, language)}</dd>
        </dl>
      )}
    </div>
  );
}
