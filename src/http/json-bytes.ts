/**
 * Reading a JSON body's bytes without parsing it (predictions/raw-instances.ts,
 * upstream/answer-shape.ts). Every function assumes the bytes are one valid JSON text
 * (json-scan.ts said so): then brackets balance outside strings, and skipping a value needs no
 * checks. O(bytes), no recursion, nothing allocated.
 */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
/** the first byte of `null` (in valid JSON no other value starts with it) */
export const LOWER_N = 0x6e;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The first index at or after `i` that is not whitespace. */
export function ws(b: Uint8Array, i: number): number {
  while (i < b.length && isSpace(b[i])) i++;
  return i;
}

/** Just past the closing quote of the string whose opening quote is at `i`. */
export function stringEnd(b: Uint8Array, i: number): number {
  for (i++; i < b.length; i++) {
    const c = b[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return b.length;
}

/** Just past the value starting at `i`. */
export function valueEnd(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c === QUOTE) return stringEnd(b, i);
  if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
    let depth = 0;
    for (; i < b.length; i++) {
      const x = b[i];
      if (x === QUOTE) i = stringEnd(b, i) - 1;
      else if (x === OPEN_ARRAY || x === OPEN_OBJECT) depth++;
      else if ((x === CLOSE_ARRAY || x === CLOSE_OBJECT) && --depth === 0) return i + 1;
    }
    return b.length;
  }
  while (i < b.length && b[i] !== COMMA && b[i] !== CLOSE_ARRAY && b[i] !== CLOSE_OBJECT && !isSpace(b[i])) i++;
  return i;
}

/** Whether the bytes from `start` to `end` are exactly `word`. */
export function same(b: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (b[start + k] !== word[k]) return false;
  return true;
}
