import { describe, expect, it } from 'vitest';
import { isOriginForm, parsePredictPath } from './paths.ts';

describe('prediction paths', () => {
  it('parses KServe V1 and OIP V2 paths with the query string', () => {
    expect(parsePredictPath('/v1/models/fraud:predict')).toEqual({ ok: true, protocol: 'v1', model: 'fraud', query: '' });
    expect(parsePredictPath('/v2/models/fraud-v2/infer?uid=7')).toEqual({ ok: true, protocol: 'v2', model: 'fraud-v2', query: 'uid=7' });
  });

  it('refuses traversal in every encoding', () => {
    for (const p of ['/v1/models/../../admin/routes', '/v1/models/%2e%2e/admin:predict', '/v1/models/a%2Fb:predict', '/v2/models/../infer', '/v1/models/..:predict', '/v1/models/a\\b:predict', '/v1/models/%2E%2E%2Fadmin:predict'])
      expect(parsePredictPath(p), p).toEqual({ ok: false, reason: 'bad_target' });
  });

  it('says not_predict for other paths under /v1/models', () => {
    expect(parsePredictPath('/v1/models/fraud')).toEqual({ ok: false, reason: 'not_predict' });
  });

  it('recognises absolute-form targets', () => {
    expect(isOriginForm('/v1/models/x:predict')).toBe(true);
    expect(isOriginForm('http://evil/v1/models/x:predict')).toBe(false);
    expect(isOriginForm('*')).toBe(false);
    expect(isOriginForm('//evil/x')).toBe(false);
  });
});
