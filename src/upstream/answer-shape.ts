/**
 * Whether an answer has outputs to compare, read from its bytes: what
 * `outputsOf(parseChecked(body, maxDepth)) !== undefined` answers (compare.ts, shadow.ts), without
 * building the value. A shadow answer byte-identical to the live one agrees exactly when the
 * live answer has outputs, so the common case of a shadow comparison parses nothing.
 *
 * Valid JSON within the depth limit (json-scan.ts), a top-level object, and the last
 * `predictions` an array, or else the last `outputs` an array (of duplicate keys the last
 * counts, as in JSON.parse). A key with escapes could spell either name: undefined, and the
 * caller parses. O(bytes), no recursion, nothing allocated.
 */
import { JSON_OK, scanJson } from '../http/json-scan.ts';
import { BACKSLASH, CLOSE_OBJECT, COMMA, OPEN_ARRAY, OPEN_OBJECT, same, stringEnd, valueEnd, ws } from '../http/json-bytes.ts';

const PREDICTIONS = Buffer.from('predictions');
const OUTPUTS = Buffer.from('outputs');
const ABSENT = -1;

export function hasOutputList(body: Buffer, maxDepth: number): boolean | undefined {
  if (scanJson(body, maxDepth) !== JSON_OK) return false;
  let i = ws(body, 0);
  if (body[i] !== OPEN_OBJECT) return false;
  // where the last `predictions` and `outputs` values start
  let predictions = ABSENT;
  let outputs = ABSENT;
  i = ws(body, i + 1);
  while (i < body.length && body[i] !== CLOSE_OBJECT) {
    const keyOpen = i;
    const keyEnd = stringEnd(body, keyOpen);
    for (let k = keyOpen + 1; k < keyEnd - 1; k++) if (body[k] === BACKSLASH) return undefined;
    i = ws(body, ws(body, keyEnd) + 1); // past the colon
    if (same(body, keyOpen + 1, keyEnd - 1, PREDICTIONS)) predictions = i;
    else if (same(body, keyOpen + 1, keyEnd - 1, OUTPUTS)) outputs = i;
    i = ws(body, valueEnd(body, i));
    if (body[i] === COMMA) i = ws(body, i + 1);
  }
  if (predictions !== ABSENT && body[predictions] === OPEN_ARRAY) return true;
  return outputs !== ABSENT && body[outputs] === OPEN_ARRAY;
}
