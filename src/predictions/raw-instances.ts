/**
 * The log's features for a KServe V1 request without parsing it: the texts of the request's
 * `instances` (or `inputs`) objects, cut from the validated body bytes. Parsing the body and
 * encoding the instances again (most of it number formatting) was most of an entry's cost;
 * each instance's own text is the same JSON value (DESIGN.md: `features` is JSON, an array of
 * instances, each an object of feature name to value), only its whitespace and number
 * spelling are the client's.
 *
 * Only the common shape takes this way: a top-level object whose keys have no escapes, the
 * last `instances` (or, when that is absent or null, `inputs`, as extract.ts reads them) an
 * array of objects with at most `maxFeatures` members each. Anything else returns undefined
 * and the caller parses (extract.ts), so the result never differs in value from that path.
 * The bytes must be one valid JSON text (http/json-scan.ts said so; http/json-bytes.ts).
 * O(bytes), no recursion.
 */
import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COMMA, LOWER_N, OPEN_ARRAY, OPEN_OBJECT, QUOTE, same, stringEnd, valueEnd, ws } from '../http/json-bytes.ts';

const INSTANCES = Buffer.from('instances');
const INPUTS = Buffer.from('inputs');

export interface RawInstances {
  /** each instance's JSON text, at most `max` of them */
  readonly texts: string[];
}

/**
 * Just past the object at `i`, or -1 when it has more than `max` members (members are counted
 * as the commas at its own level, so the object is read once).
 */
function objectEnd(b: Uint8Array, i: number, max: number): number {
  let depth = 0;
  let members = 0;
  for (; i < b.length; i++) {
    const x = b[i];
    if (x === QUOTE) {
      if (depth === 1 && members === 0) members = 1;
      i = stringEnd(b, i) - 1;
    } else if (x === OPEN_ARRAY || x === OPEN_OBJECT) depth++;
    else if (x === CLOSE_ARRAY || x === CLOSE_OBJECT) {
      if (--depth === 0) return i + 1;
    } else if (x === COMMA && depth === 1 && ++members > max) return -1;
  }
  return b.length;
}

const NOT_RAW = -1;

/**
 * The texts of the array at `i` (its first `max` elements), pushed to `texts`; returns the
 * index past the array, or NOT_RAW when an element is no object or has over maxFeatures members.
 */
function readInstances(b: Buffer, i: number, max: number, maxFeatures: number, texts: string[]): number {
  i = ws(b, i + 1);
  while (i < b.length && b[i] !== CLOSE_ARRAY) {
    if (texts.length >= max) {
      // the rest are not logged: skipped to the array's end
      i = ws(b, valueEnd(b, i));
      if (b[i] === COMMA) i = ws(b, i + 1);
      continue;
    }
    if (b[i] !== OPEN_OBJECT) return NOT_RAW; // positional rows take names: parsed
    const end = objectEnd(b, i, maxFeatures);
    if (end < 0) return NOT_RAW; // cut to maxFeatures: parsed
    texts.push(b.toString('utf8', i, end));
    i = ws(b, end);
    if (b[i] === COMMA) i = ws(b, i + 1);
  }
  return i + 1;
}

/** The instance texts of a V1 request (see the header), or undefined when the caller must parse. */
export function rawV1Instances(bytes: Buffer, max: number, maxFeatures: number): RawInstances | undefined {
  let i = ws(bytes, 0);
  if (bytes[i] !== OPEN_OBJECT) return undefined;
  // extract.ts reads `instances ?? inputs`; of duplicate keys the last counts (JSON.parse)
  let instances: string[] | null | undefined;
  let inputs: string[] | null | undefined;
  i = ws(bytes, i + 1);
  while (i < bytes.length && bytes[i] !== CLOSE_OBJECT) {
    const keyOpen = i;
    const keyEnd = stringEnd(bytes, keyOpen);
    for (let k = keyOpen + 1; k < keyEnd - 1; k++) if (bytes[k] === BACKSLASH) return undefined; // an escaped key could spell either name
    i = ws(bytes, ws(bytes, keyEnd) + 1); // past the colon
    const isInstances = same(bytes, keyOpen + 1, keyEnd - 1, INSTANCES);
    let end: number;
    if (isInstances || same(bytes, keyOpen + 1, keyEnd - 1, INPUTS)) {
      let texts: string[] | null;
      if (bytes[i] === OPEN_ARRAY) {
        texts = [];
        end = readInstances(bytes, i, max, maxFeatures, texts);
        if (end === NOT_RAW) return undefined;
      } else if (bytes[i] === LOWER_N) {
        texts = null;
        end = i + 4;
      } else return undefined; // a single instance, or no list: parsed
      if (isInstances) instances = texts;
      else inputs = texts;
    } else end = valueEnd(bytes, i);
    i = ws(bytes, end);
    if (bytes[i] === COMMA) i = ws(bytes, i + 1);
  }
  const list = instances ?? inputs;
  return { texts: list ?? [] };
}
