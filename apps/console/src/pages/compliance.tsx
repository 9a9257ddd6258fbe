/**
 * Compliance: rule violations of the CN or EU profile by rule, merchant and period (month the case opened), each
 * with a link to the case's timeline and chain check; the same report as CSV, fetched with the token and saved.
 */
import { useMemo, useState } from 'preact/hooks';
import { ApiError, api, saveFile } from '../api';
import type { ComplianceReport } from '../api-types';
import { Code, ErrorNotice, Loading, TableHead, TableWrap, useLoad } from '../components';
import { formatCount, formatTime } from '../format';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/i18n';

const RULE_LABEL: Record<string, MessageKey> = {
  FIRST_RESPONSE: 'rule.FIRST_RESPONSE',
  NO_REASON_RETURN_WINDOW: 'rule.NO_REASON_RETURN_WINDOW',
  REFUND_DEADLINE: 'rule.REFUND_DEADLINE',
  ATTRIBUTED_DECISIONS: 'rule.ATTRIBUTED_DECISIONS',
  NOTHING_DELETED: 'rule.NOTHING_DELETED',
};

interface Filter {
  profile: 'CN' | 'EU';
  merchantId: string;
  from: string;
  to: string;
}

function queryOf(filter: Filter, format?: 'csv'): string {
  const q = new URLSearchParams({ profile: filter.profile });
  if (filter.merchantId.trim()) q.set('merchantId', filter.merchantId.trim());
  if (filter.from) q.set('from', new Date(`${filter.from}T00:00:00`).toISOString());
  if (filter.to) q.set('to', new Date(`${filter.to}T23:59:59.999`).toISOString());
  if (format) q.set('format', format);
  return q.toString();
}

function CountTable({ id, caption, head, counts }: { id: string; caption: string; head: string; counts: Array<[string, number, string?]> }) {
  const { t, language } = useI18n();
  return (
    <TableWrap label={caption}>
      <table id={id}>
        <caption>{caption}</caption>
        <TableHead labels={[head, t('compliance.violations')]} />
        <tbody>
          {counts.map(([key, n, label]) => (
            <tr key={key} data-key={key}>
              <th scope="row">{label ?? key}</th>
              <td>{formatCount(n, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The report as CSV, fetched with the token and saved under the name the API gives. */
function useCsvDownload(filter: Filter) {
  const [download, setDownload] = useState<{ busy: boolean; error?: ApiError }>({ busy: false });
  async function saveCsv() {
    setDownload({ busy: true });
    try {
      const { blob, name } = await api.download(`/audit/compliance?${queryOf(filter, 'csv')}`, `compliance-${filter.profile}.csv`);
      saveFile(blob, name);
      setDownload({ busy: false });
    } catch (error) {
      setDownload({ busy: false, error: error instanceof ApiError ? error : new ApiError(0, String(error)) });
    }
  }
  return { ...download, saveCsv };
}

export function CompliancePage() {
  const [draft, setDraft] = useState<Filter>({ profile: 'CN', merchantId: '', from: '', to: '' });
  const [filter, setFilter] = useState<Filter>(draft);
  const report = useLoad(() => api.get<ComplianceReport>(`/audit/compliance?${queryOf(filter)}`), [filter]);
  const csv = useCsvDownload(filter);
  return (
    <>
      <FilterForm draft={draft} setDraft={setDraft} apply={() => setFilter({ ...draft })} csvBusy={csv.busy} saveCsv={() => void csv.saveCsv()} />
      <ErrorNotice error={csv.error} />
      <Loading when={report.loading} />
      <ErrorNotice error={report.error} />
      {report.data && <Report data={report.data} />}
    </>
  );
}

interface FilterFormProps {
  draft: Filter;
  setDraft: (draft: Filter) => void;
  apply: () => void;
  csvBusy: boolean;
  saveCsv: () => void;
}

function FilterForm({ draft, setDraft, apply, csvBusy, saveCsv }: FilterFormProps) {
  const { t } = useI18n();
  return (
    <form
      class="toolbar"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label>
        {t('compliance.profile')}
        <select name="profile" value={draft.profile} onChange={(e) => setDraft({ ...draft, profile: e.currentTarget.value as Filter['profile'] })}>
          <option value="CN">{t('compliance.profileCN')}</option>
          <option value="EU">{t('compliance.profileEU')}</option>
        </select>
      </label>
      <label>
        {t('compliance.merchant')}
        <input name="merchantId" value={draft.merchantId} onInput={(e) => setDraft({ ...draft, merchantId: e.currentTarget.value })} />
      </label>
      <label>
        {t('compliance.from')}
        <input type="date" name="from" value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
      </label>
      <label>
        {t('compliance.to')}
        <input type="date" name="to" value={draft.to} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
      </label>
      <button type="submit">{t('compliance.apply')}</button>
      <button type="button" id="download-csv" onClick={saveCsv} disabled={csvBusy}>
        {t('compliance.csv')}
      </button>
    </form>
  );
}

/** Violations counted by merchant and by period (the month the case opened), in key order. */
function useGroups(violations: ComplianceReport['violations']) {
  return useMemo(() => {
    const tally = (key: (v: ComplianceReport['violations'][number]) => string) => {
      const counts = new Map<string, number>();
      for (const v of violations) counts.set(key(v), (counts.get(key(v)) ?? 0) + 1);
      return [...counts].sort(([a], [b]) => a.localeCompare(b));
    };
    return { merchant: tally((v) => v.merchantId), period: tally((v) => v.openedAt.slice(0, 7)) };
  }, [violations]);
}

function Report({ data }: { data: ComplianceReport }) {
  const { t, language } = useI18n();
  const groups = useGroups(data.violations);
  return (
    <>
      <p role="status">
        {t('compliance.summary', { profile: data.profile, checked: formatCount(data.casesChecked, language), at: formatTime(data.generatedAt, language) })}{' '}
        <strong data-figure="violations">{formatCount(data.violations.length, language)}</strong>
      </p>
      <div class="split three">
        <CountTable
          id="by-rule"
          caption={t('compliance.byRule')}
          head={t('compliance.rule')}
          counts={Object.entries(data.summary).map(([rule, n]) => [rule, n, RULE_LABEL[rule] ? t(RULE_LABEL[rule]) : rule])}
        />
        <CountTable id="by-merchant" caption={t('compliance.byMerchant')} head={t('compliance.merchant')} counts={groups.merchant} />
        <CountTable id="by-period" caption={t('compliance.byPeriod')} head={t('compliance.period')} counts={groups.period} />
      </div>
      <h2>{t('compliance.list')}</h2>
      {data.violations.length === 0 ? <p class="muted">{t('common.none')}</p> : <ViolationsTable violations={data.violations} />}
    </>
  );
}

function ViolationsTable({ violations }: { violations: ComplianceReport['violations'] }) {
  const { t, language } = useI18n();
  const labels = [t('compliance.rule'), t('queue.caseId'), t('compliance.merchant'), t('compliance.opened'), t('compliance.detail'), t('compliance.check')];
  return (
    <TableWrap label={t('compliance.list')}>
      <table id="violations">
        <TableHead labels={labels} />
        <tbody>
          {violations.map((v, i) => (
            <tr key={`${v.caseId}-${v.rule}-${i}`} data-case={v.caseId} data-rule={v.rule}>
              <th scope="row">
                <Code>{v.rule}</Code>
              </th>
              <td>
                <Code>{v.caseId}</Code>
              </td>
              <td>{v.merchantId}</td>
              <td>{formatTime(v.openedAt, language)}</td>
              <td>{v.detail}</td>
              <td>
                <a href={`#/timeline/${encodeURIComponent(v.caseId)}`} aria-label={t('compliance.verifyCase', { caseId: v.caseId })}>
                  {t('compliance.verify')}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
