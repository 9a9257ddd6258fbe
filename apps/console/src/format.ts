/**
 * How the console writes figures and times, per language: percentages, means, counts, instants in the viewer's
 * time zone, durations. No DOM here, so the browser test formats the API's JSON exactly as the page does.
 */
export type Language = 'en' | 'zh';
export const LANGUAGES: readonly Language[] = ['en', 'zh'];

const LOCALES: Record<Language, string> = { en: 'en-GB', zh: 'zh-CN' };
export const localeOf = (language: Language): string => LOCALES[language];

export const EMPTY = '—';

export function formatCount(value: number | null | undefined, language: Language): string {
  return value === null || value === undefined ? EMPTY : new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 0 }).format(value);
}

/** A mean such as CSAT: at most two decimals. */
export function formatMean(value: number | null | undefined, language: Language): string {
  return value === null || value === undefined ? EMPTY : new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 2 }).format(value);
}

/** A rate in [0, 1] as a percentage with at most one decimal. */
export function formatRate(value: number | null | undefined, language: Language): string {
  return value === null || value === undefined ? EMPTY : new Intl.NumberFormat(LOCALES[language], { style: 'percent', maximumFractionDigits: 1 }).format(value);
}

/** An instant in the viewer's time zone (or the one given), date and time to the second. */
export function formatTime(iso: string | null | undefined, language: Language, timeZone?: string): string {
  if (!iso) return EMPTY;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'medium', timeStyle: 'medium', ...(timeZone ? { timeZone } : {}) }).format(at);
}

const UNITS: Record<Language, { d: string; h: string; min: string; sep: string }> = {
  en: { d: ' d', h: ' h', min: ' min', sep: ' ' },
  zh: { d: '天', h: '小时', min: '分钟', sep: '' },
};

/** A duration such as time left: "1 d 2 h", "45 min"; negative (overdue) with a leading minus sign. */
export function formatDuration(ms: number | null | undefined, language: Language): string {
  if (ms === null || ms === undefined) return EMPTY;
  const u = UNITS[language];
  const sign = ms < 0 ? '−' : '';
  let minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  const parts = [days ? `${days}${u.d}` : '', hours ? `${hours}${u.h}` : '', !days && (minutes || !hours) ? `${minutes}${u.min}` : ''].filter(Boolean);
  return sign + parts.join(u.sep);
}
