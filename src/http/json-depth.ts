/**
 * JSON nesting depth, measured on the raw bytes without recursion (RELIABILITY.md: JSON.parse
 * accepts 10,000-deep arrays, but JSON.stringify and any recursive walk of them overflow the
 * stack). One pass, O(bytes), no allocation: `[` and `{` outside strings open a level, `]` and
 * `}` close one. It measures depth only; whether the bytes are valid JSON is JSON.parse's job.
 * Multi-byte UTF-8 sequences never contain the ASCII bytes it looks at, so bytes are enough.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** The deepest nesting of `bytes` (0 for a scalar), or `max + 1` as soon as it passes `max`. */
export function jsonDepth(bytes: Uint8Array, max = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > max) return deepest;
      }
    } else if ((c === CLOSE_ARRAY || c === CLOSE_OBJECT) && depth > 0) depth--;
  }
  return deepest;
}

/**
 * Whether there are at most `max` bytes `[` and `{` in all (inside strings too, which only
 * over-counts): then nothing nests deeper than `max`. Native indexOf, at most max + 1 calls.
 */
function fewOpenings(bytes: Uint8Array, max: number): boolean {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let i = b.indexOf(OPEN_OBJECT); i >= 0; i = b.indexOf(OPEN_OBJECT, i + 1)) if (++n > max) return false;
  for (let i = b.indexOf(OPEN_ARRAY); i >= 0; i = b.indexOf(OPEN_ARRAY, i + 1)) if (++n > max) return false;
  return true;
}

/** Whether `bytes` nest deeper than `max` levels (a body with few brackets is not scanned byte by byte). */
export const tooDeep = (bytes: Uint8Array, max: number): boolean => !fewOpenings(bytes, max) && jsonDepth(bytes, max) > max;

/** The INVALID_JSON message for a body over the limit: it names the limit. */
export const depthMessage = (max: number): string => `request body nests deeper than limits.max_json_depth (${max})`;
