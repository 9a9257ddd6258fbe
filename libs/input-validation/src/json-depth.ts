/**
 * How deeply a JSON text nests, read from its bytes before it is parsed, so a body nested 100,000 levels is
 * refused with a 400 instead of exhausting the stack of whatever walks the parsed value.
 */

/** Deepest nesting a body or record may have. The deepest real body (an opening with items and contact) has 3. */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when the JSON text (UTF-8 bytes or a string) opens more than `max` objects or arrays inside each other. */
export function jsonNestsDeeperThan(text: Uint8Array | string, max: number = MAX_JSON_DEPTH): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) depth--;
  }
  return false;
}

/** How deep an already parsed value nests (objects and arrays), counted without recursion. */
export function valueDepth(value: unknown, stopAbove: number = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const pending: Array<{ inner: unknown; depth: number }> = [{ inner: value, depth: 0 }];
  while (pending.length) {
    const { inner, depth } = pending.pop()!;
    if (inner === null || typeof inner !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > stopAbove) return deepest;
    for (const child of Object.values(inner as Record<string, unknown>)) pending.push({ inner: child, depth: depth + 1 });
  }
  return deepest;
}
