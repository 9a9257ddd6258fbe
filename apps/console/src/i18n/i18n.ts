/** The console's languages: a catalogue per language, a `t(key, params)` that fills `{name}` holes, and the context pages read. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Language } from '../format';
import type { MessageKey } from './messages-en';
import { en } from './messages-en';
import { zh } from './messages-zh';

export type { MessageKey } from './messages-en';
export type Params = Record<string, string | number>;

const CATALOGUES: Record<Language, Record<MessageKey, string>> = { en, zh };

export function translate(language: Language, key: MessageKey, params: Params = {}): string {
  return CATALOGUES[language][key].replace(/\{(\w+)\}/g, (hole, name: string) => (name in params ? String(params[name]) : hole));
}

export interface I18nContext {
  language: Language;
  t: (key: MessageKey, params?: Params) => string;
}

export const I18n = createContext<I18nContext>({ language: 'en', t: (key, params) => translate('en', key, params) });
export const useI18n = (): I18nContext => useContext(I18n);

/** The language to start in: the one chosen before, else the browser's (Chinese for any zh-*), else English. */
export function initialLanguage(saved: string | null, browser: readonly string[]): Language {
  if (saved === 'en' || saved === 'zh') return saved;
  return browser.some((tag) => tag.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}
