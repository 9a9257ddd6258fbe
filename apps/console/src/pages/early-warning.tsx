/** Early warnings (预警): cases about to breach and the signals raised (complaint spikes, sentiment, repeats, breach rate). */
import { api } from '../api';
import type { EarlyWarningView } from '../api-types';
import { Code, ErrorNotice, Loading, TableWrap, useLoad } from '../components';
import { formatDuration, formatMean, formatTime } from '../format';
import { useI18n } from '../i18n/i18n';

export function EarlyWarningPage() {
  const { t, language } = useI18n();
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
            {(data.signals ?? []).length === 0 ? (
              <p class="muted">{t('common.none')}</p>
            ) : (
              <TableWrap label={t('warning.signals')}>
                <table id="early-warning-signals">
                  <thead>
                    <tr>
                      <th scope="col">{t('warning.kind')}</th>
                      <th scope="col">{t('warning.scope')}</th>
                      <th scope="col">{t('warning.window')}</th>
                      <th scope="col">{t('warning.observed')}</th>
                      <th scope="col">{t('warning.baseline')}</th>
                      <th scope="col">{t('warning.score')}</th>
                      <th scope="col">{t('warning.since')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.signals.map((s, i) => (
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
            )}
          </section>
          <section aria-labelledby="about-to-breach">
            <h2 id="about-to-breach">{t('warning.atRisk')}</h2>
            {(data.atRisk ?? []).length === 0 ? (
              <p class="muted">{t('common.none')}</p>
            ) : (
              <TableWrap label={t('warning.atRisk')}>
                <table id="early-warning-at-risk">
                  <thead>
                    <tr>
                      <th scope="col">{t('queue.caseId')}</th>
                      <th scope="col">{t('queue.status')}</th>
                      <th scope="col">{t('queue.priority')}</th>
                      <th scope="col">{t('queue.firstResponseLeft')}</th>
                      <th scope="col">{t('queue.resolutionLeft')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.atRisk.map((c) => (
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
            )}
          </section>
        </>
      )}
    </>
  );
}
