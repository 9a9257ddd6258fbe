/**
 * Overview: open, at-risk and breached cases (escalation view); CSAT and SLA compliance by day (satisfaction
 * view); repurchase rate by case outcome and by CSAT band (loyalty impact). Each chart has its figures in a table.
 */
import { useMemo } from 'preact/hooks';
import { api } from '../api';
import type { EscalationView, ImpactRow, LoyaltyImpact, SatisfactionView } from '../api-types';
import type { ChartOption } from '../charts';
import { Chart } from '../charts';
import { ErrorNotice, Figure, Loading, TableHead, TableWrap, useLoad } from '../components';
import { formatCount, formatMean, formatRate } from '../format';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/i18n';
import type { Role } from '../roles';
import { may } from '../roles';

const OUTCOME_LABEL: Record<string, MessageKey> = {
  RESOLVED: 'outcome.RESOLVED',
  REJECTED: 'outcome.REJECTED',
  WITHDRAWN: 'outcome.WITHDRAWN',
  OPEN: 'outcome.OPEN',
};
const BAND_LABEL: Record<string, MessageKey> = { HIGH: 'band.HIGH', NEUTRAL: 'band.NEUTRAL', LOW: 'band.LOW', NONE: 'band.NONE' };

export function OverviewPage({ role }: { role: Role }) {
  const { t } = useI18n();
  const analyst = may.readSatisfactionAndLoyalty(role);
  const escalation = useLoad(() => api.get<EscalationView>('/views/escalation'), []);
  const satisfaction = useLoad(() => api.get<SatisfactionView>('/views/satisfaction?groupBy=day'), [], analyst);
  const impact = useLoad(() => api.get<LoyaltyImpact>('/views/loyalty/impact'), [], analyst);
  return (
    <>
      <section aria-labelledby="open-cases">
        <h2 id="open-cases">{t('overview.openCases')}</h2>
        <Loading when={escalation.loading} />
        <ErrorNotice error={escalation.error} />
        {escalation.data && <OpenCases view={escalation.data} />}
      </section>
      {analyst && (
        <section aria-labelledby="by-day">
          <h2 id="by-day">{t('overview.byDay')}</h2>
          <Loading when={satisfaction.loading} />
          <ErrorNotice error={satisfaction.error} />
          {satisfaction.data && <ByDay view={satisfaction.data} />}
        </section>
      )}
      {analyst && (
        <section aria-labelledby="impact">
          <h2 id="impact">{t('overview.impact')}</h2>
          <Loading when={impact.loading} />
          <ErrorNotice error={impact.error} />
          {impact.data && <Impact impact={impact.data} />}
        </section>
      )}
    </>
  );
}

function OpenCases({ view }: { view: EscalationView }) {
  const { t, language } = useI18n();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: [t('overview.open'), t('overview.atRisk'), t('overview.breached')] },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: [view.total, view.atRisk.length, view.breached.length], colorBy: 'data' }],
      color: ['#1f4e79', '#b36b00', '#c0504d'],
    }),
    [view, language],
  );
  return (
    <div class="split">
      <div class="figures">
        <Figure name="open" label={t('overview.open')} value={formatCount(view.total, language)} />
        <Figure name="at-risk" label={t('overview.atRisk')} value={formatCount(view.atRisk.length, language)} tone="warn" />
        <Figure name="breached" label={t('overview.breached')} value={formatCount(view.breached.length, language)} tone="bad" />
      </div>
      <Chart option={option} label={t('overview.openChart', { open: view.total, atRisk: view.atRisk.length, breached: view.breached.length })} />
    </div>
  );
}

function ByDay({ view }: { view: SatisfactionView }) {
  const { t, language } = useI18n();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 44, right: 48, top: 40, bottom: 32 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: view.groups.map((g) => g.key) },
      yAxis: [
        { type: 'value', min: 0, max: 5, name: 'CSAT' },
        { type: 'value', min: 0, max: 100, name: '%' },
      ],
      series: [
        { type: 'line', name: t('overview.meanCsat'), data: view.groups.map((g) => g.meanCsat) },
        {
          type: 'bar',
          name: t('overview.slaCompliance'),
          yAxisIndex: 1,
          data: view.groups.map((g) => (g.slaCompliance === null ? null : Math.round(g.slaCompliance * 1000) / 10)),
        },
      ],
    }),
    [view, language],
  );
  if (view.groups.length === 0) return <p class="muted">{t('common.none')}</p>;
  return (
    <div class="split">
      <Chart option={option} label={t('overview.byDayChart')} />
      <TableWrap label={t('overview.byDay')}>
        <table id="satisfaction-by-day">
          <TableHead
            labels={[
              t('overview.day'),
              t('overview.cases'),
              t('overview.rated'),
              t('overview.meanCsat'),
              t('overview.satisfiedShare'),
              t('overview.slaCompliance'),
            ]}
          />
          <tbody>
            {view.groups.map((g) => (
              <tr key={g.key} data-key={g.key}>
                <th scope="row">{g.key}</th>
                <td>{formatCount(g.cases, language)}</td>
                <td>{formatCount(g.rated, language)}</td>
                <td>{formatMean(g.meanCsat, language)}</td>
                <td>{formatRate(g.satisfiedShare, language)}</td>
                <td>{formatRate(g.slaCompliance, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </div>
  );
}

function ImpactTable({ id, caption, rows, labelOf }: { id: string; caption: string; rows: Array<[string, ImpactRow]>; labelOf: (key: string) => string }) {
  const { t, language } = useI18n();
  return (
    <TableWrap label={caption}>
      <table id={id}>
        <caption>{caption}</caption>
        <TableHead labels={[t('overview.group'), t('overview.closedCases'), t('overview.repurchased'), t('overview.repurchaseRate')]} />
        <tbody>
          {rows.map(([key, row]) => (
            <tr key={key} data-key={key}>
              <th scope="row">{labelOf(key)}</th>
              <td>{formatCount(row.cases, language)}</td>
              <td>{formatCount(row.repurchased, language)}</td>
              <td>{formatRate(row.rate, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Impact({ impact }: { impact: LoyaltyImpact }) {
  const { t, language } = useI18n();
  const outcomes = Object.entries(impact.byOutcome);
  const bands = Object.entries(impact.byCsatBand);
  const outcomeLabel = (k: string) => (OUTCOME_LABEL[k] ? t(OUTCOME_LABEL[k]) : k);
  const bandLabel = (k: string) => (BAND_LABEL[k] ? t(BAND_LABEL[k]) : k);
  const rateBars = (rows: Array<[string, ImpactRow]>, labelOf: (k: string) => string): ChartOption => ({
    grid: { left: 44, right: 16, top: 16, bottom: 32 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rows.map(([k]) => labelOf(k)) },
    yAxis: { type: 'value', min: 0, max: 100, name: '%' },
    series: [{ type: 'bar', name: t('overview.repurchaseRate'), data: rows.map(([, r]) => (r.rate === null ? null : Math.round(r.rate * 1000) / 10)) }],
  });
  const byOutcome = useMemo(() => rateBars(outcomes, outcomeLabel), [impact, language]);
  const byBand = useMemo(() => rateBars(bands, bandLabel), [impact, language]);
  return (
    <>
      <p>
        {t('overview.impactSummary', { window: impact.windowDays, eligible: formatCount(impact.eligibleCases, language) })}{' '}
        <strong data-figure="overall-rate">{formatRate(impact.overall.rate, language)}</strong>
      </p>
      <div class="split">
        <Chart option={byOutcome} label={t('overview.byOutcome')} />
        <ImpactTable id="impact-by-outcome" caption={t('overview.byOutcome')} rows={outcomes} labelOf={outcomeLabel} />
      </div>
      <div class="split">
        <Chart option={byBand} label={t('overview.byBand')} />
        <ImpactTable id="impact-by-band" caption={t('overview.byBand')} rows={bands} labelOf={bandLabel} />
      </div>
    </>
  );
}
