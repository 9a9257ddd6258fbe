/**
 * The triage analyser's version, recorded on every `CaseTriaged` event. Bump it whenever the rules, the
 * configured terms or the trained sentiment model change what the analyser answers for the same text.
 */
export const TRIAGE_ANALYSER_VERSION = 'triage-1.4.0';
