/**
 * What-if: an SLA policy (the one in force to start with, edited here or uploaded as a JSON file) and the
 * breaches and escalations per team it would have given, next to the real ones (POST /views/what-if).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import type { WhatIfReport } from '../api-types';
import { ErrorNotice, Loading, TableHead, TableWrap, useLoad } from '../components';
import { formatCount, formatTime } from '../format';
import { useI18n } from '../i18n/i18n';

/** The policy text (the one in force until edited or uploaded) and the report of the last run of it. */
function useWhatIf() {
  const { t } = useI18n();
  const current = useLoad(() => api.get<unknown>('/views/what-if/policy'), []);
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ report?: WhatIfReport; error?: ApiError; running: boolean }>({ running: false });
  useEffect(() => {
    if (current.data && !text) setText(JSON.stringify(current.data, null, 2));
  }, [current.data]);

  async function run() {
    let policy: unknown;
    try {
      policy = JSON.parse(text);
    } catch (error) {
      setResult({ running: false, error: new ApiError(400, t('whatIf.notJson', { problem: (error as Error).message })) });
      return;
    }
    setResult({ running: true });
    try {
      setResult({ running: false, report: await api.post<WhatIfReport>('/views/what-if', policy) });
    } catch (error) {
      setResult({ running: false, error: error instanceof ApiError ? error : new ApiError(0, String(error)) });
    }
  }

  async function upload(files: FileList | null) {
    const file = files?.[0];
    if (file) setText(await file.text());
  }
  return { current, text, setText, result, run, upload };
}

export function WhatIfPage() {
  const { t, language } = useI18n();
  const { current, text, setText, result, run, upload } = useWhatIf();
  return (
    <>
      <ErrorNotice error={current.error} />
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label for="policy-file">{t('whatIf.upload')}</label>
        <input id="policy-file" type="file" accept="application/json,.json" onChange={(e) => void upload(e.currentTarget.files)} />
        <label for="policy-text">{t('whatIf.policy')}</label>
        <textarea id="policy-text" rows={16} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <div>
          <button type="submit" disabled={result.running}>
            {t('whatIf.run')}
          </button>
        </div>
      </form>
      <Loading when={result.running} />
      <ErrorNotice error={result.error} />
      {result.report && (
        <section aria-labelledby="what-if-result">
          <h2 id="what-if-result">
            {t('whatIf.result', { policy: `${result.report.policy.id} v${result.report.policy.version}`, at: formatTime(result.report.at, language) })}
          </h2>
          <TeamsTable teams={Object.entries(result.report.teams ?? {})} />
        </section>
      )}
    </>
  );
}

function TeamsTable({ teams }: { teams: Array<[string, WhatIfReport['teams'][string]]> }) {
  const { t, language } = useI18n();
  if (teams.length === 0) return <p class="muted">{t('common.none')}</p>;
  const labels = [
    t('queue.team'),
    t('whatIf.cases'),
    t('whatIf.frActual'),
    t('whatIf.frWhatIf'),
    t('whatIf.resActual'),
    t('whatIf.resWhatIf'),
    t('whatIf.recorded'),
  ];
  return (
    <TableWrap label={t('whatIf.byTeam')}>
      <table id="what-if-teams">
        <caption>{t('whatIf.byTeam')}</caption>
        <TableHead labels={labels} />
        <tbody>
          {teams.map(([team, row]) => (
            <tr key={team} data-team={team}>
              <th scope="row">{team === '(unassigned)' ? t('queue.unassigned') : team}</th>
              <td>{formatCount(row.whatIf.cases, language)}</td>
              <td>{formatCount(row.actual.firstResponseBreaches, language)}</td>
              <td>{formatCount(row.whatIf.firstResponseBreaches, language)}</td>
              <td>{formatCount(row.actual.resolutionBreaches, language)}</td>
              <td>{formatCount(row.whatIf.resolutionBreaches, language)}</td>
              <td>
                L1 {row.recorded.L1} · L2 {row.recorded.L2} · L3 {row.recorded.L3}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
