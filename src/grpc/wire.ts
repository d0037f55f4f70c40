/**
 * Reads what routing needs from an encoded ModelInferRequest without decoding its tensors
 * (pure): the top-level `model_name` (1), `model_version` (2), `id` (3) and the offsets of the
 * `parameters` map entries (4). Tensors (5, 7) are skipped by length, so the cost does not grow
 * with the payload. `withModelName` re-targets a request by appending a `model_name` field:
 * protobuf parsers keep the last value of a singular field, so the tensors are never re-encoded.
 */

export interface InferHead {
  modelName: string;
  modelVersion: string;
  id: string;
  /** [start, end) of each `parameters` map entry's bytes */
  params: Array<[number, number]>;
}

export class WireError extends Error {}

function varint(buf: Buffer, at: { i: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (at.i >= buf.length) throw new WireError('truncated varint');
    const b = buf[at.i++];
    if (shift < 28) result |= (b & 0x7f) << shift;
    else result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return result;
    shift += 7;
    if (shift > 63) throw new WireError('varint too long');
  }
}

function skip(buf: Buffer, at: { i: number }, wireType: number): void {
  switch (wireType) {
    case 0:
      varint(buf, at);
      return;
    case 1:
      at.i += 8;
      break;
    case 2: {
      const len = varint(buf, at); // read first: `at.i += varint()` would lose the length's bytes
      at.i += len;
      break;
    }
    case 5:
      at.i += 4;
      break;
    default:
      throw new WireError(`unsupported wire type ${wireType}`);
  }
  if (at.i > buf.length) throw new WireError('truncated field');
}

function lengthDelimited(buf: Buffer, at: { i: number }): [number, number] {
  const len = varint(buf, at);
  const start = at.i;
  at.i += len;
  if (at.i > buf.length) throw new WireError('truncated field');
  return [start, at.i];
}

/** Throws WireError on a malformed message. */
export function readInferHead(buf: Buffer): InferHead {
  const head: InferHead = { modelName: '', modelVersion: '', id: '', params: [] };
  const at = { i: 0 };
  while (at.i < buf.length) {
    const tag = varint(buf, at);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === 2 && field >= 1 && field <= 4) {
      const [s, e] = lengthDelimited(buf, at);
      if (field === 1) head.modelName = buf.toString('utf8', s, e);
      else if (field === 2) head.modelVersion = buf.toString('utf8', s, e);
      else if (field === 3) head.id = buf.toString('utf8', s, e);
      else head.params.push([s, e]);
    } else skip(buf, at, wireType);
  }
  return head;
}

/** A `parameters` entry's value as a string (string, integer or double), or undefined. */
export function parameterValue(buf: Buffer, head: InferHead, name: string): string | number | undefined {
  let found: string | number | undefined;
  for (const [s, e] of head.params) {
    const entry = buf.subarray(s, e);
    const at = { i: 0 };
    let key: string | undefined;
    let value: [number, number] | undefined;
    while (at.i < entry.length) {
      const tag = varint(entry, at);
      if (tag === 0x0a) {
        const [a, b] = lengthDelimited(entry, at);
        key = entry.toString('utf8', a, b);
      } else if (tag === 0x12) value = lengthDelimited(entry, at);
      else skip(entry, at, tag & 7);
    }
    if (key !== name || !value) continue;
    found = undefined;
    const v = entry.subarray(value[0], value[1]);
    const vi = { i: 0 };
    while (vi.i < v.length) {
      const tag = varint(v, vi);
      if (tag === 0x1a) {
        const [a, b] = lengthDelimited(v, vi);
        found = v.toString('utf8', a, b);
      } else if (tag === 0x10 || tag === 0x28) found = varint(v, vi);
      else if (tag === 0x21) {
        if (vi.i + 8 > v.length) throw new WireError('truncated double');
        found = v.readDoubleLE(vi.i);
        vi.i += 8;
      } else skip(v, vi, tag & 7);
    }
  }
  return found;
}

function encodeVarint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** The request with `model_name` set to `model` (an appended field wins over the first). */
export function withModelName(buf: Buffer, model: string): Buffer {
  const name = Buffer.from(model, 'utf8');
  const prefix = Buffer.from([0x0a, ...encodeVarint(name.length)]);
  return Buffer.concat([buf, prefix, name], buf.length + prefix.length + name.length);
}
