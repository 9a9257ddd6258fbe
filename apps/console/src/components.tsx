/** Small shared pieces of the pages: loading data, showing refusals, scrollable tables and their header rows, figures. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';
import { useI18n } from './i18n/i18n';

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change (and on reload); nothing when `enabled` is false. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], enabled = true): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: enabled });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error: error instanceof ApiError ? error : new ApiError(0, String(error)), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...deps, round, enabled]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

export function ErrorNotice({ error }: { error?: ApiError }) {
  const { t } = useI18n();
  if (!error) return null;
  const heading = error.status === 0 ? t('error.network') : t('error.refused', { status: error.status });
  return (
    <div class="notice error" role="alert">
      <strong>{heading}</strong> {error.message}
      {error.problems.length > 0 && (
        <ul>
          {error.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ when }: { when: boolean }) {
  const { t } = useI18n();
  return when ? (
    <p class="muted" role="status">
      {t('common.loading')}
    </p>
  ) : null;
}

/** A table that scrolls sideways on narrow screens; the scroll area is focusable so a keyboard can scroll it. */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

/** A table's header row: a column header per label, in order. */
export function TableHead({ labels }: { labels: ComponentChildren[] }) {
  return (
    <thead>
      <tr>
        {labels.map((label, i) => (
          <th key={i} scope="col">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function Figure({ name, label, value, tone }: { name: string; label: string; value: string; tone?: 'warn' | 'bad' }) {
  return (
    <div class={`figure ${tone ?? ''}`}>
      <span class="figure-label">{label}</span>
      <span class="figure-value" data-figure={name}>
        {value}
      </span>
    </div>
  );
}

export function Code({ children }: { children: ComponentChildren }) {
  return <code class="code">{children}</code>;
}
