/**
 * The OIP binary tensor extension (pure): a body whose `Inference-Header-Content-Length` is N
 * is N bytes of JSON header followed by raw tensor bytes. Only the JSON part is parsed (for
 * the unit and the log); the whole body is forwarded byte-identical.
 */

/** The JSON header length named by the header, or null when the value is not a length within the body. */
export function jsonHeaderLength(value: string, bodyLength: number): number | null {
  if (!/^\s*\d{1,12}\s*$/.test(value)) return null;
  const n = Number(value);
  return n <= bodyLength ? n : null;
}

const NAME = 'inference-header-content-length';

/** The JSON part of a backend answer (its raw undici headers say whether it has binary data). */
export function answerJsonPart(rawHeaders: readonly Buffer[], body: Buffer): Buffer {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].length !== NAME.length || rawHeaders[i].toString().toLowerCase() !== NAME) continue;
    const n = jsonHeaderLength(rawHeaders[i + 1].toString(), body.length);
    return n === null ? body : body.subarray(0, n);
  }
  return body;
}

/** A tensor sent as binary data is logged as its shape and datatype, never its bytes. */
export function binaryTensorSummary(t: Record<string, unknown>): { datatype: unknown; shape: unknown } | undefined {
  if (Array.isArray(t.data)) return undefined;
  const p = t.parameters as Record<string, unknown> | undefined;
  if (p && typeof p === 'object' && p.binary_data_size !== undefined) return { datatype: t.datatype, shape: t.shape };
  return t.data === undefined && t.shape !== undefined ? { datatype: t.datatype, shape: t.shape } : undefined;
}
