/**
 * Request bodies sent with `Content-Encoding: gzip` or `deflate`: decompressed off the event
 * loop (zlib's thread pool) for parsing only, bounded by the body limit so a zip bomb costs at
 * most that many bytes. The bytes forwarded stay the ones received. Resolves, never rejects.
 */
import { gunzip, inflate, type InputType, type ZlibOptions } from 'node:zlib';

export type Decoded = { ok: true; body: Buffer } | { ok: false; code: 'PAYLOAD_TOO_LARGE' | 'BAD_REQUEST' | 'UNSUPPORTED_MEDIA_TYPE'; message: string };

type Inflater = (buf: InputType, opts: ZlibOptions, cb: (err: Error | null, out: Buffer) => void) => void;

/** `undefined` or `identity` means no decoding; gzip/x-gzip/deflate decode; anything else is refused. */
export function decodeBody(body: Buffer, encoding: string | undefined, limit: number): Promise<Decoded> | Decoded {
  if (encoding === undefined) return { ok: true, body };
  const e = encoding.trim().toLowerCase();
  if (e === '' || e === 'identity') return { ok: true, body };
  const fn: Inflater | undefined = e === 'gzip' || e === 'x-gzip' ? gunzip : e === 'deflate' ? inflate : undefined;
  if (!fn) return { ok: false, code: 'UNSUPPORTED_MEDIA_TYPE', message: `unsupported content-encoding "${encoding}" (gzip and deflate are accepted)` };
  return new Promise((resolve) => {
    fn(body, { maxOutputLength: limit }, (err, out) => {
      if (!err) return resolve({ ok: true, body: out });
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
        return resolve({ ok: false, code: 'PAYLOAD_TOO_LARGE', message: 'decompressed request body exceeds limits.max_body_bytes' });
      resolve({ ok: false, code: 'BAD_REQUEST', message: `request body is not valid ${e} data` });
    });
  });
}
