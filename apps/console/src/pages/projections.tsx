/** Projections: each view's checkpoints, lag behind the store and dead letters; a rebuild with its progress, polled live. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import type { ProjectionStatus, RebuildProgress } from '../api-types';
import { Code, ErrorNotice, Loading, TableHead, TableWrap, useLoad } from '../components';
import { formatCount, formatTime } from '../format';
import { useI18n } from '../i18n/i18n';

export const POLL_MS = 1000;
const busy = (r?: RebuildProgress) => r?.state === 'running' || r?.state === 'swapping';

/** The projections' statuses, polled every POLL_MS while a rebuild runs; `rebuild` starts one and says whether it did. */
function useProjections() {
  const list = useLoad(() => api.get<{ projections: ProjectionStatus[] }>('/admin/projections'), []);
  const [started, setStarted] = useState<{ name?: string; error?: ApiError }>({});
  const running = (list.data?.projections ?? []).some((p) => busy(p.rebuild));

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(list.reload, POLL_MS);
    return () => clearInterval(timer);
  }, [running, list.reload]);

  async function rebuild(name: string) {
    try {
      await api.post(`/admin/projections/${encodeURIComponent(name)}/rebuild`);
      setStarted({ name });
    } catch (error) {
      setStarted({ error: error instanceof ApiError ? error : new ApiError(0, String(error)) });
    }
    list.reload();
  }
  return { list, started, rebuild };
}

export function ProjectionsPage() {
  const { t } = useI18n();
  const { list, started, rebuild } = useProjections();
  return (
    <>
      <div class="toolbar">
        <button type="button" onClick={list.reload}>
          {t('common.refresh')}
        </button>
      </div>
      <p role="status" aria-live="polite" class="muted">
        {started.name ? t('projections.started', { name: started.name }) : ''}
      </p>
      <ErrorNotice error={started.error} />
      <Loading when={list.loading && !list.data} />
      <ErrorNotice error={list.error} />
      {list.data && (
        <TableWrap label={t('page.projections')}>
          <table id="projections">
            <TableHead
              labels={[
                t('projections.name'),
                t('projections.checkpoints'),
                t('projections.lag'),
                t('projections.deadLetters'),
                t('projections.rebuild'),
                <span class="visually-hidden">{t('projections.actions')}</span>,
              ]}
            />
            <tbody>
              {list.data.projections.map((p) => (
                <ProjectionRow key={p.name} projection={p} rebuild={(name) => void rebuild(name)} />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}

function ProjectionRow({ projection: p, rebuild }: { projection: ProjectionStatus; rebuild: (name: string) => void }) {
  const { t, language } = useI18n();
  const lag = p.checkpoints.find((c) => c.lag !== undefined)?.lag;
  return (
    <tr data-projection={p.name}>
      <th scope="row">
        <Code>{p.name}</Code>
      </th>
      <td>
        {p.checkpoints.length === 0
          ? t('projections.noCheckpoint')
          : p.checkpoints.map((c) => (
              <div key={c.source}>
                {c.source}: <Code>{c.position}</Code> <span class="muted">({formatTime(c.updatedAt, language)})</span>
              </div>
            ))}
      </td>
      <td data-field="lag">{lag === undefined ? '—' : formatCount(lag, language)}</td>
      <td data-field="dead-letters">{formatCount(p.deadLetters, language)}</td>
      <td data-field="rebuild" data-state={p.rebuild?.state ?? 'none'}>
        {p.rebuild ? <RebuildProgressCell projection={p} rebuild={p.rebuild} /> : '—'}
      </td>
      <td>
        <button type="button" onClick={() => rebuild(p.name)} disabled={busy(p.rebuild)} aria-label={t('projections.rebuildOf', { name: p.name })}>
          {t('projections.rebuildNow')}
        </button>
      </td>
    </tr>
  );
}

/** A rebuild's state and count, with a bar against the store's head while it runs. */
function RebuildProgressCell({ projection: p, rebuild }: { projection: ProjectionStatus; rebuild: RebuildProgress }) {
  const { t, language } = useI18n();
  const head = p.storeHead && /^\d+$/.test(p.storeHead) ? Number(p.storeHead) : undefined;
  return (
    <>
      <span>{t(`projections.state.${rebuild.state}`)}</span> <span>{t('projections.processed', { count: formatCount(rebuild.processed, language) })}</span>
      {busy(rebuild) && head !== undefined && head > 0 && (
        <progress max={head} value={Math.min(rebuild.processed, head)} aria-label={t('projections.progressOf', { name: p.name })} />
      )}
      {rebuild.error && <div class="bad">{rebuild.error}</div>}
    </>
  );
}
