/**
 * Text normalisation shared by every triage decision: Unicode NFKC (full-width digits and letters become
 * ASCII), case folding, and removal of the spaces that break up a run of CJK characters ("消 协" → "消协").
 */

const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
/** Three or more single digits written apart ('1 2 3 1 5') are one number. */
const SPACED_DIGITS = /(?<![0-9])[0-9](?: [0-9](?![0-9])){2,}/gu;
const SPACES_BETWEEN_CJK = new RegExp(`([${CJK}])\\s+(?=[${CJK}])`, 'gu');

export const CJK_CHAR = new RegExp(`[${CJK}]`, 'u');

export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(SPACES_BETWEEN_CJK, '$1')
    .replace(/\s+/gu, ' ')
    .replace(SPACED_DIGITS, (run) => run.replaceAll(' ', ''))
    .trim();
}
