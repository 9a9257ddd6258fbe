/** Early warnings (预警): cases about to breach and the signals raised (complaint spikes, sentiment, repeats, breach rate). */
import { api } from '../api';
import type { EarlyWarningView } from '../api-types';
import { Code, ErrorNotice, Loading, TableHead, TableWrap, useLoad } from '../components';
import { formatDuration, formatMean, formatTime } from '../format';
import { useI18n } from '../i18n/i18n';

export function EarlyWarningPage() {
  const { t } = useI18n();
  const view = useLoad(() => api.get<EarlyWarningView>('/views/early-warning'), []);
  const data = view.data;
  return (
    <>
      <Loading when={view.loading} />
      <ErrorNotice error={view.error} />
      {data && (
        <>
          <section aria-labelledby="signals">
            <h2 id="signals">{t('warning.signals')}</h2>
            {(data.signals ?? []).length === 0 ? <p class="muted">{t('common.none')}</p> : <SignalsTable signals={data.signals} />}
          </section>
          <section aria-labelledby="about-to-breach">
            <h2 id="about-to-breach">{t('warning.atRisk')}</h2>
            {(data.atRisk ?? []).length === 0 ? <p class="muted">{t('common.none')}</p> : <AtRiskTable cases={data.atRisk} />}
          </section>
        </>
      )}
    </>
  );
}

function SignalsTable({ signals }: { signals: EarlyWarningView['signals'] }) {
  const { t, language } = useI18n();
  const labels = [
    t('warning.kind'),
    t('warning.scope'),
    t('warning.window'),
    t('warning.observed'),
    t('warning.baseline'),
    t('warning.score'),
    t('warning.since'),
  ];
  return (
    <TableWrap label={t('warning.signals')}>
      <table id="early-warning-signals">
        <TableHead labels={labels} />
        <tbody>
          {signals.map((s, i) => (
            <tr key={i}>
              <th scope="row">
                <Code>{s.kind}</Code>
              </th>
              <td>
                {Object.entries(s.scope ?? {})
                  .map(([k, v]) => `${k}: ${v}`)
                  .join(', ')}
              </td>
              <td>{s.window ?? ''}</td>
              <td>{formatMean(s.observed, language)}</td>
              <td>{formatMean(s.baseline, language)}</td>
              <td>{formatMean(s.score, language)}</td>
              <td>{formatTime(s.since, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function AtRiskTable({ cases }: { cases: EarlyWarningView['atRisk'] }) {
  const { t, language } = useI18n();
  const labels = [t('queue.caseId'), t('queue.status'), t('queue.priority'), t('queue.firstResponseLeft'), t('queue.resolutionLeft')];
  return (
    <TableWrap label={t('warning.atRisk')}>
      <table id="early-warning-at-risk">
        <TableHead labels={labels} />
        <tbody>
          {cases.map((c) => (
            <tr key={c.caseId}>
              <th scope="row">
                <Code>{c.caseId}</Code>
              </th>
              <td>{c.status ?? ''}</td>
              <td>{c.priority ?? ''}</td>
              <td>{formatDuration(c.firstResponse?.msLeft, language)}</td>
              <td>{formatDuration(c.resolution?.msLeft, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
