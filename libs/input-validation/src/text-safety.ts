/**
 * Checks no decorator makes, on every string and key of a value (body, query, path, Kafka record):
 * - no NUL character (PostgreSQL text cannot keep one);
 * - no lone UTF-16 surrogate (not a character; it cannot be written as UTF-8, so no store or export keeps it);
 * - ids (fields named `id` or ending in `Id`) are in Unicode normal form NFKC, free of control and space
 *   characters: `é` written as e + combining accent (NFD) or a full-width `ｏｒｄ-１` would otherwise name a
 *   second, different-looking-alike record. Such ids are refused with a 400, never silently rewritten.
 */
import type { FieldProblem } from './field-problem';

const NUL_PROBLEM = 'must not contain the NUL character (U+0000), which no store can keep';
const SURROGATE_PROBLEM = 'must not contain a lone UTF-16 surrogate (U+D800-U+DFFF), which is not a character';
const ID_PROBLEM = 'must be an id in Unicode normal form NFKC (no decomposed accents, no full-width letters) without control or space characters';

/** With the u flag a surrogate pair is one code point, so only an unpaired surrogate matches. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const CONTROL_OR_SPACE = /[\p{Cc}\p{Cf}\p{Z}\s]/u;
const ID_FIELD = /^(id|.*Id)$/;

function stringProblems(text: string): string[] {
  const problems: string[] = [];
  if (text.includes('\u0000')) problems.push(NUL_PROBLEM);
  if (LONE_SURROGATE.test(text)) problems.push(SURROGATE_PROBLEM);
  return problems;
}

/** Whether a string is acceptable as an id: NFKC-normal, no control or space characters. */
export function isNormalizedId(text: string): boolean {
  return text.normalize('NFKC') === text && !CONTROL_OR_SPACE.test(text) && !LONE_SURROGATE.test(text);
}

/** Every string (or key) that holds a NUL or a lone surrogate, and every id field that is not normalised, by path. */
export function unsafeTextProblems(value: unknown, path = '', key = ''): FieldProblem[] {
  if (typeof value === 'string') {
    const problems = stringProblems(value);
    if (!problems.length && ID_FIELD.test(key) && value !== '' && !isNormalizedId(value)) problems.push(ID_PROBLEM);
    return problems.length ? [{ field: path || '(value)', problems }] : [];
  }
  if (value === null || typeof value !== 'object') return [];
  const out: FieldProblem[] = [];
  // An explicit stack, so a deeply nested value cannot exhaust the call stack.
  const pending: Array<{ inner: unknown; field: string; key: string }> = [];
  const push = (container: object, base: string) => {
    for (const [k, inner] of Object.entries(container)) pending.push({ inner, field: base ? `${base}.${k}` : k, key: k });
  };
  push(value, path);
  for (let next = 0; next < pending.length; next++) {
    const { inner, field, key: name } = pending[next];
    const keyProblems = stringProblems(name);
    if (keyProblems.length) out.push({ field, problems: keyProblems });
    if (typeof inner === 'string') out.push(...unsafeTextProblems(inner, field, name));
    else if (inner !== null && typeof inner === 'object') push(inner, field);
  }
  return out;
}
