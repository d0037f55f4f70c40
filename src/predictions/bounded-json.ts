/**
 * JSON.stringify with a size budget, without recursion (pure). It gives exactly what
 * JSON.stringify gives for JSON data (parsed bodies: no toJSON, no cycles), or undefined as soon
 * as the text would pass `maxChars` UTF-16 units, so the work is bounded by the budget, not by
 * the value: a 250,000-number array costs a count check, a 10,000-deep one an explicit stack.
 * A flat array or object (no nested values) whose lower-bound size fits goes to the native
 * JSON.stringify (the common case: one instance of scalar features).
 */

const isNested = (v: unknown): v is object => v !== null && typeof v === 'object';

/** A lower bound of the JSON size of a scalar, or -1 when it is no JSON value (skipped / null). */
function scalarFloor(v: unknown): number {
  if (typeof v === 'string') return v.length + 2;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return 1;
  return -1;
}

/** Lower bound of the text of a flat array/object, or -1 when it has a nested value; stops past `max`. */
function flatFloor(v: object, max: number): number {
  let n = 2;
  if (Array.isArray(v)) {
    if (2 * v.length + 1 > max) return max + 1;
    for (let i = 0; i < v.length && n <= max; i++) {
      const x = v[i];
      if (isNested(x)) return -1;
      const f = scalarFloor(x);
      n += (f < 0 ? 4 : f) + (i > 0 ? 1 : 0); // undefined is written as null
    }
    return n;
  }
  let first = true;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    const x = (v as Record<string, unknown>)[k];
    if (isNested(x)) return -1;
    const f = scalarFloor(x);
    if (f < 0) continue;
    n += k.length + 3 + f + (first ? 0 : 1);
    first = false;
    if (n > max) return n;
  }
  return n;
}

interface Frame {
  readonly v: object;
  readonly keys: readonly string[] | undefined;
  i: number;
  wrote: boolean;
}

/** JSON.stringify(value), or undefined when the text is longer than `maxChars`. */
export function stringifyBounded(value: unknown, maxChars: number): string | undefined {
  if (!isNested(value)) {
    const s = scalarFloor(value) > maxChars ? undefined : JSON.stringify(value);
    return s === undefined || s.length > maxChars ? undefined : s;
  }
  const floor = flatFloor(value, maxChars);
  if (floor > maxChars) return undefined;
  if (floor >= 0) {
    const s = JSON.stringify(value);
    return s.length > maxChars ? undefined : s;
  }
  return walk(value, maxChars);
}

function walk(root: object, maxChars: number): string | undefined {
  const parts: string[] = [];
  let size = 0;
  const put = (s: string): boolean => {
    size += s.length;
    parts.push(s);
    return size <= maxChars;
  };
  const open = (v: object): Frame => {
    const array = Array.isArray(v);
    put(array ? '[' : '{');
    return { v, keys: array ? undefined : Object.keys(v), i: 0, wrote: false };
  };
  const stack: Frame[] = [open(root)];
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    const n = f.keys ? f.keys.length : (f.v as unknown[]).length;
    if (f.i >= n) {
      stack.pop();
      if (!put(f.keys ? '}' : ']')) return undefined;
      continue;
    }
    const key = f.keys?.[f.i];
    const x = key === undefined ? (f.v as unknown[])[f.i] : (f.v as Record<string, unknown>)[key];
    f.i++;
    if (key !== undefined && !isNested(x) && scalarFloor(x) < 0) continue; // undefined etc.: no key
    if (f.wrote && !put(',')) return undefined;
    f.wrote = true;
    if (key !== undefined && !put(`${JSON.stringify(key)}:`)) return undefined;
    if (isNested(x)) {
      const floor = flatFloor(x, maxChars - size);
      if (floor > maxChars - size) return undefined;
      if (floor >= 0) {
        if (!put(JSON.stringify(x))) return undefined; // flat: native
        continue;
      }
      stack.push(open(x));
      if (size > maxChars) return undefined;
    } else {
      if (size + Math.max(scalarFloor(x), 0) > maxChars) return undefined;
      if (!put(scalarFloor(x) < 0 ? 'null' : JSON.stringify(x))) return undefined;
    }
  }
  return parts.join('');
}
