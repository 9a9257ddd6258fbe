/**
 * The checks every consumer makes on a record's bytes before it trusts them, each refusal naming its reason code:
 * too large for the configured limit (`too_large`), not strict UTF-8 or holding a NUL (`undecodable`: PostgreSQL
 * text and JSONB cannot store U+0000), not JSON (`invalid_json`). Compressed records arrive decompressed, so the
 * limit applies to what the record really holds.
 */
import { RecordRejectedError } from '@aftersales/read-models';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Refuses a record whose key and value together exceed `maxBytes`. */
export function checkSize(key: Buffer | null | undefined, value: Buffer | null | undefined, maxBytes: number): void {
  const size = (key?.length ?? 0) + (value?.length ?? 0);
  if (size > maxBytes) throw new RecordRejectedError('too_large', `record of ${size} bytes is larger than the limit of ${maxBytes} bytes`);
}

/** The bytes as text; refuses invalid UTF-8 and NUL bytes. */
export function strictText(bytes: Buffer, what: string): string {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new RecordRejectedError('undecodable', `${what} is not valid UTF-8`);
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw new RecordRejectedError('undecodable', `${what} holds a NUL byte at offset ${Buffer.byteLength(text.slice(0, nul))}`);
  return text;
}

/**
 * Parses JSON text; refuses what is not JSON and JSON whose strings or names hold U+0000 (`\u0000` escapes). JSON
 * cannot hold a raw control character in a string, so a NUL can only come from that escape: text without it is
 * not walked.
 */
export function strictJson(text: string, what: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RecordRejectedError('invalid_json', `${what} is not JSON (${(error as Error).message})`);
  }
  if (text.includes('\\u0000') && holdsNul(parsed))
    throw new RecordRejectedError('undecodable', `${what} holds a NUL character (\\u0000), which cannot be stored`);
  return parsed;
}

function holdsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const next = stack.pop();
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return true;
    } else if (Array.isArray(next)) {
      stack.push(...next);
    } else if (next && typeof next === 'object') {
      for (const [name, inner] of Object.entries(next)) {
        if (name.includes('\u0000')) return true;
        stack.push(inner);
      }
    }
  }
  return false;
}

/** A header's value as strict text (undefined when absent); a Buffer that is not clean UTF-8 is refused. */
export function headerText(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined || value === null) return undefined;
  const single = Array.isArray(value) ? value[value.length - 1] : value;
  if (Buffer.isBuffer(single)) return strictText(single, `header ${name}`);
  const text = String(single);
  if (text.includes('\u0000')) throw new RecordRejectedError('undecodable', `header ${name} holds a NUL byte`);
  return text;
}
