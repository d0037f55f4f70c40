/**
 * A JSON validator with a depth limit that builds nothing: one pass over the raw UTF-8 bytes
 * answers what `tooDeep(bytes, max)` followed by `JSON.parse(bytes.toString('utf8'))` answers
 * (too deep, invalid, or fine) without decoding a string or allocating a value. The hot path
 * validates every prediction body; the parsed object is only built when something needs it.
 *
 * Grammar: RFC 8259 / ECMA-404, which is what V8's JSON.parse accepts: whitespace is only
 * space, tab, LF and CR (so a UTF-8 BOM is invalid), any value at the top level, nothing but
 * whitespace after it. Bytes >= 0x80 are fine inside strings and invalid outside: Node's UTF-8
 * decoder turns a malformed sequence into U+FFFD without ever consuming a following ASCII byte,
 * so quotes, backslashes and control bytes are the same on the bytes and in the decoded text.
 *
 * Depth agrees with json-depth.ts exactly: on a valid prefix, strings are where jsonDepth
 * thinks they are, so passing `maxDepth` there is TOO_DEEP for both; on a syntax error the
 * answer is `tooDeep` of the whole buffer (error path only, so the common case pays nothing).
 *
 * Iterative (an explicit stack of container kinds in a module-level scratch array), no
 * allocation per call, O(bytes), synchronous and so safe to share the scratch.
 */
import { tooDeep } from './json-depth.ts';

export const JSON_OK = 0, JSON_INVALID = 1, JSON_TOO_DEEP = 2;
export type JsonScan = 0 | 1 | 2;

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_ARRAY = 0x5d;
const LOWER_A = 0x61;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_L = 0x6c;
const LOWER_N = 0x6e;
const LOWER_R = 0x72;
const LOWER_S = 0x73;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const ASCII_CASE_BIT = 0x20;

/** What the helpers return instead of the index after a well-formed token. */
const FAIL = -1;

/** The container kind at each open level (index = depth, 1-based); config caps depth at 10,000. */
const IN_ARRAY = 0;
const IN_OBJECT = 1;
let containerKinds: Uint8Array = new Uint8Array(10_002);

/** Whether `bytes` (UTF-8) is one JSON text that JSON.parse(bytes.toString('utf8')) accepts, nesting at most maxDepth levels. */
export function scanJson(bytes: Uint8Array, maxDepth: number): JsonScan {
  const end = bytes.length;
  let depth = 0;
  let inObject = false;
  let i = skipWhitespace(bytes, 0, end);
  for (;;) {
    // A value starts at i (whitespace already skipped).
    if (i >= end) return invalid(bytes, maxDepth);
    const c = bytes[i];
    if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) return JSON_TOO_DEEP;
      inObject = c === OPEN_OBJECT;
      pushKind(depth, inObject);
      i = skipWhitespace(bytes, i + 1, end);
      if (i < end && bytes[i] === closerOf(inObject)) {
        i++;
        inObject = kindBelow(--depth);
      } else {
        if (inObject) i = scanKey(bytes, i, end);
        if (i === FAIL) return invalid(bytes, maxDepth);
        continue; // the first element or member value
      }
    } else {
      i = scanScalar(bytes, i, end, c);
      if (i === FAIL) return invalid(bytes, maxDepth);
    }
    // After a complete value: a comma (then the next value), the container's closer, or the end.
    for (;;) {
      i = skipWhitespace(bytes, i, end);
      if (depth === 0) return i === end ? JSON_OK : invalid(bytes, maxDepth);
      if (i >= end) return invalid(bytes, maxDepth);
      const next = bytes[i];
      if (next === COMMA) {
        i = skipWhitespace(bytes, i + 1, end);
        if (inObject) i = scanKey(bytes, i, end);
        if (i === FAIL) return invalid(bytes, maxDepth);
        break;
      }
      if (next !== closerOf(inObject)) return invalid(bytes, maxDepth);
      i++;
      inObject = kindBelow(--depth);
    }
  }
}

/** The answer for bytes that are not valid JSON: the depth limit still takes precedence, as it does for tooDeep + JSON.parse. */
function invalid(bytes: Uint8Array, maxDepth: number): JsonScan {
  return tooDeep(bytes, maxDepth) ? JSON_TOO_DEEP : JSON_INVALID;
}

function pushKind(depth: number, inObject: boolean): void {
  if (depth >= containerKinds.length) containerKinds = grown(containerKinds);
  containerKinds[depth] = inObject ? IN_OBJECT : IN_ARRAY;
}

/** Only for a maxDepth above what config allows: double the stack once per doubling of depth. */
function grown(kinds: Uint8Array): Uint8Array {
  const bigger = new Uint8Array(kinds.length * 2);
  bigger.set(kinds);
  return bigger;
}

/** Whether the container open at `depth` (after closing the one above it) is an object; false at the top level. */
function kindBelow(depth: number): boolean {
  return depth > 0 && containerKinds[depth] === IN_OBJECT;
}

function closerOf(inObject: boolean): number {
  return inObject ? CLOSE_OBJECT : CLOSE_ARRAY;
}

function isWhitespace(c: number): boolean {
  return c <= SPACE && (c === SPACE || c === LF || c === CR || c === TAB);
}

function skipWhitespace(b: Uint8Array, i: number, end: number): number {
  while (i < end && isWhitespace(b[i])) i++;
  return i;
}

/** An object key and its colon, from `i` (whitespace skipped) to the start of the member's value. */
function scanKey(b: Uint8Array, i: number, end: number): number {
  if (i >= end || b[i] !== QUOTE) return FAIL;
  i = scanString(b, i + 1, end);
  if (i === FAIL) return FAIL;
  i = skipWhitespace(b, i, end);
  if (i >= end || b[i] !== COLON) return FAIL;
  return skipWhitespace(b, i + 1, end);
}

/** A string, number or literal starting with byte `c` at `i`. */
function scanScalar(b: Uint8Array, i: number, end: number, c: number): number {
  if (c === QUOTE) return scanString(b, i + 1, end);
  if (c === MINUS || isDigit(c)) return scanNumber(b, i, end);
  if (c === LOWER_T) return scanTrue(b, i, end);
  if (c === LOWER_F) return scanFalse(b, i, end);
  if (c === LOWER_N) return scanNull(b, i, end);
  return FAIL;
}

/** The rest of a string after its opening quote, to just past the closing quote. */
function scanString(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i++];
    if (c === QUOTE) return i;
    if (c === BACKSLASH) {
      i = scanEscape(b, i, end);
      if (i === FAIL) return FAIL;
    } else if (c < SPACE) return FAIL; // raw control characters must be escaped
  }
  return FAIL;
}

/** An escape after its backslash: one of " \ / b f n r t, or u and exactly four hex digits. */
function scanEscape(b: Uint8Array, i: number, end: number): number {
  if (i >= end) return FAIL;
  const c = b[i];
  if (c === LOWER_U) return i + 4 < end && isHex(b[i + 1]) && isHex(b[i + 2]) && isHex(b[i + 3]) && isHex(b[i + 4]) ? i + 5 : FAIL;
  return isSingleEscape(c) ? i + 1 : FAIL;
}

function isSingleEscape(c: number): boolean {
  return c === QUOTE || c === BACKSLASH || c === SLASH || c === LOWER_B || c === LOWER_F || c === LOWER_N || c === LOWER_R || c === LOWER_T;
}

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

function isHex(c: number): boolean {
  const lower = c | ASCII_CASE_BIT;
  return isDigit(c) || (lower >= LOWER_A && lower <= LOWER_F);
}

/** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? from `i`; what follows it is the caller's business. */
function scanNumber(b: Uint8Array, i: number, end: number): number {
  if (b[i] === MINUS) i++;
  if (i >= end) return FAIL;
  if (b[i] === DIGIT_0) i++;
  else if (isDigit(b[i])) i = skipDigits(b, i + 1, end);
  else return FAIL;
  if (i < end && b[i] === DOT) {
    i = requireDigits(b, i + 1, end);
    if (i === FAIL) return FAIL;
  }
  if (i < end && (b[i] | ASCII_CASE_BIT) === LOWER_E) {
    i++;
    if (i < end && (b[i] === PLUS || b[i] === MINUS)) i++;
    i = requireDigits(b, i, end);
  }
  return i;
}

function skipDigits(b: Uint8Array, i: number, end: number): number {
  while (i < end && isDigit(b[i])) i++;
  return i;
}

/** One or more digits from `i`. */
function requireDigits(b: Uint8Array, i: number, end: number): number {
  const after = skipDigits(b, i, end);
  return after > i ? after : FAIL;
}

function scanTrue(b: Uint8Array, i: number, end: number): number {
  return i + 3 < end && b[i + 1] === LOWER_R && b[i + 2] === LOWER_U && b[i + 3] === LOWER_E ? i + 4 : FAIL;
}

function scanFalse(b: Uint8Array, i: number, end: number): number {
  return i + 4 < end && b[i + 1] === LOWER_A && b[i + 2] === LOWER_L && b[i + 3] === LOWER_S && b[i + 4] === LOWER_E ? i + 5 : FAIL;
}

function scanNull(b: Uint8Array, i: number, end: number): number {
  return i + 3 < end && b[i + 1] === LOWER_U && b[i + 2] === LOWER_L && b[i + 3] === LOWER_L ? i + 4 : FAIL;
}
