/** Triage of case text (Chinese and English): see README.md. */
export * from './triage-analyser-version';
export * from './triage-analyser';
export * from './normalise-text';
export * from './fold-chinese';
export * from './regulator-context';
export * from './regulator-sentence';
export * from './regulator-model';
export * from './detect-language';
export * from './segment-words';
export * from './sentiment';
export * from './sentiment-model';
export * from './suggest-case-type';
export * from './suggest-priority';
export * from './regulator-mention';
export * from './regulator-config-file';
export * from './repeat-complaint';
