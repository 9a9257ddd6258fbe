/**
 * The evidence of a CaseTriaged event on the case timeline: sentiment (label, score and the words that weighed
 * most), suggested type and priority with the words that decided them, the regulator terms matched (with the cue
 * that made a contextual term count) and the earlier cases of a repeat complaint.
 */
import type { TriageData } from '../api-types';
import { Code } from '../components';
import { useI18n } from '../i18n/i18n';

/** Words that weighed most on the sentiment, strongest first. */
const STRONGEST = 5;

function Words({ words, empty }: { words: string[]; empty: string }) {
  if (words.length === 0) return <span class="muted">{empty}</span>;
  return (
    <span class="words">
      {words.map((w) => (
        <span key={w}>
          <Code>{w}</Code>
        </span>
      ))}
    </span>
  );
}

export function TriageEvidence({ data }: { data: TriageData }) {
  const { t } = useI18n();
  const none = t('triage.none');
  const strongest = [...(data.sentiment?.evidence ?? [])].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, STRONGEST);
  const regulator = data.regulatorMention ?? { mentioned: false, terms: [], evidence: [] };
  return (
    <section class="triage" data-triage aria-label={t('triage.title')}>
      <h3>{t('triage.title')}</h3>
      <dl class="meta">
        <dt>{t('triage.sentiment')}</dt>
        <dd data-field="sentiment">
          <Code>{data.sentiment?.label}</Code> {t('triage.score', { score: (data.sentiment?.score ?? 0).toFixed(2) })}
          <span class="words">
            {strongest.map((f) => (
              <span key={f.feature}>
                <Code>{f.feature}</Code>{' '}
                <span class="muted">
                  {f.weight > 0 ? '+' : ''}
                  {f.weight.toFixed(2)}
                </span>
              </span>
            ))}
          </span>
        </dd>
        <dt>{t('triage.suggestedType')}</dt>
        <dd data-field="suggested-type">
          <Code>{data.suggestedType?.type}</Code> {t('triage.confidence', { confidence: Math.round((data.suggestedType?.confidence ?? 0) * 100) })}
          <Words words={data.suggestedType?.evidence ?? []} empty={none} />
        </dd>
        <dt>{t('triage.suggestedPriority')}</dt>
        <dd data-field="suggested-priority">
          <Code>{data.suggestedPriority?.priority}</Code>
          <Words words={data.suggestedPriority?.evidence ?? []} empty={none} />
        </dd>
        <dt>{t('triage.regulator')}</dt>
        <dd data-field="regulator" data-mentioned={String(regulator.mentioned)}>
          {regulator.mentioned ? t('triage.regulatorMentioned') : t('triage.regulatorNone')}
          {regulator.evidence.length > 0 && (
            <span class="words">
              {regulator.evidence.map((m) => (
                <span key={`${m.term}@${m.at}`}>
                  <Code>{m.term}</Code> <span class="muted">{m.strength === 'strong' ? t('triage.strong') : t('triage.contextual', { cue: m.cue ?? '' })}</span>
                </span>
              ))}
            </span>
          )}
        </dd>
        <dt>{t('triage.repeat')}</dt>
        <dd data-field="repeat">
          {data.repeatComplaint?.repeat ? t('triage.repeatOf', { cases: data.repeatComplaint.priorCaseIds.join(', ') }) : t('triage.notRepeat')}
        </dd>
        <dt>{t('triage.analyser')}</dt>
        <dd>
          <Code>{data.analyserVersion}</Code> · {data.language}
          {data.truncated ? ` · ${t('triage.truncated')}` : ''}
        </dd>
      </dl>
    </section>
  );
}
