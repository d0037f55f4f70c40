import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody } from './decode-body.ts';

describe('decodeBody', () => {
  const json = Buffer.from('{"instances":[[1,2]]}');
  it('passes plain bodies through untouched', async () => {
    expect(await decodeBody(json, undefined, 100)).toEqual({ ok: true, body: json });
    expect(await decodeBody(json, 'identity', 100)).toEqual({ ok: true, body: json });
  });
  it('inflates gzip and deflate', async () => {
    expect(await decodeBody(gzipSync(json), 'gzip', 100)).toEqual({ ok: true, body: json });
    expect(await decodeBody(deflateSync(json), 'Deflate', 100)).toEqual({ ok: true, body: json });
  });
  it('stops a zip bomb at the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(await decodeBody(bomb, 'gzip', 1024 * 1024)).toMatchObject({ ok: false, code: 'PAYLOAD_TOO_LARGE' });
  });
  it('refuses corrupt data and unknown encodings', async () => {
    expect(await decodeBody(Buffer.from('not gzip'), 'gzip', 100)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await decodeBody(json, 'br', 100)).toMatchObject({ ok: false, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});
