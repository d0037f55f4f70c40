import { describe, expect, it } from 'vitest';
import { isOriginForm, isPredictTarget, parsePredictPath, parsePredictPathCached, upstreamPath, type RoutedPath } from './paths.ts';

const ok = (url: string) => {
  const p = parsePredictPath(url);
  if (!p.ok) throw new Error(`${url}: ${p.reason}`);
  return p as RoutedPath;
};

describe('prediction paths', () => {
  it('parses KServe V1 and OIP V2 paths with the query string', () => {
    expect(parsePredictPath('/v1/models/fraud:predict')).toEqual({ ok: true, protocol: 'v1', op: 'predict', model: 'fraud', query: '' });
    expect(parsePredictPath('/v2/models/fraud-v2/infer?uid=7')).toEqual({ ok: true, protocol: 'v2', op: 'infer', model: 'fraud-v2', query: 'uid=7' });
  });

  it('parses every OIP V2 model path, with and without a version', () => {
    expect(ok('/v2/models/m')).toMatchObject({ op: 'metadata', model: 'm' });
    expect(ok('/v2/models/m/ready')).toMatchObject({ op: 'ready', model: 'm' });
    expect(ok('/v2/models/m/versions/3')).toMatchObject({ op: 'metadata', model: 'm', version: '3' });
    expect(ok('/v2/models/m/versions/3/ready')).toMatchObject({ op: 'ready', version: '3' });
    expect(ok('/v2/models/m/versions/3/infer?a=b')).toMatchObject({ op: 'infer', version: '3', query: 'a=b' });
    expect(parsePredictPath('/v2/models/m/versions')).toEqual({ ok: false, reason: 'not_predict' });
    expect(parsePredictPath('/v2/models/m/other/infer')).toEqual({ ok: false, reason: 'not_predict' });
    expect(parsePredictPath('/v2/models/m/versions/3/infer/x')).toEqual({ ok: false, reason: 'not_predict' });
  });

  it('parses KServe V1 readiness and explain, and the OpenAI paths', () => {
    expect(ok('/v1/models/fraud')).toMatchObject({ protocol: 'v1', op: 'v1-ready', model: 'fraud' });
    expect(ok('/v1/models/fraud:explain')).toMatchObject({ protocol: 'v1', op: 'explain' });
    expect(parsePredictPath('/v1/models/fraud:train')).toEqual({ ok: false, reason: 'not_predict' });
    for (const p of ['/v1/chat/completions', '/v1/completions', '/v1/embeddings']) {
      expect(isPredictTarget(p)).toBe(true);
      expect(ok(p)).toMatchObject({ protocol: 'openai', op: 'openai', openai: p });
    }
    expect(isPredictTarget('/v1/outcomes')).toBe(false);
  });

  it('hands the OIP server paths to the ops app', () => {
    for (const p of ['/v2', '/v2/health/live', '/v2/health/ready']) expect(parsePredictPath(p)).toEqual({ ok: false, reason: 'server' });
  });

  it('builds the upstream path with the variant model and the version', () => {
    expect(upstreamPath(ok('/v2/models/m/versions/3/infer?x=1'), 'other')).toBe('/v2/models/other/versions/3/infer?x=1');
    expect(upstreamPath(ok('/v2/models/m/ready'), 'm2')).toBe('/v2/models/m2/ready');
    expect(upstreamPath(ok('/v1/models/m:explain'), 'a b')).toBe('/v1/models/a%20b:explain');
    expect(upstreamPath(ok('/v1/models/m'), 'z')).toBe('/v1/models/z');
    expect(upstreamPath(ok('/v1/chat/completions'), 'ignored')).toBe('/v1/chat/completions');
  });

  it('refuses traversal in every encoding', () => {
    for (const p of ['/v1/models/../../admin/routes', '/v1/models/%2e%2e/admin:predict', '/v1/models/a%2Fb:predict', '/v2/models/../infer', '/v1/models/..:predict', '/v1/models/a\\b:predict', '/v1/models/%2E%2E%2Fadmin:predict', '/v2/models/m/versions/../infer'])
      expect(parsePredictPath(p), p).toEqual({ ok: false, reason: 'bad_target' });
  });

  it('says not_predict for other paths under /v1/models', () => {
    expect(parsePredictPath('/v1/models/fraud/extra')).toEqual({ ok: false, reason: 'not_predict' });
  });

  it('recognises absolute-form targets', () => {
    expect(isOriginForm('/v1/models/x:predict')).toBe(true);
    expect(isOriginForm('http://evil/v1/models/x:predict')).toBe(false);
    expect(isOriginForm('*')).toBe(false);
    expect(isOriginForm('//evil/x')).toBe(false);
  });
});

describe('parsePredictPathCached', () => {
  it('gives what parsePredictPath gives, frozen, the same object for a repeated target', () => {
    for (const url of ['/v1/models/m:predict', '/v2/models/m/versions/2/infer?x=1', '/v1/models/a/b:predict', '/v1/chat/completions', '/v1/models/%2e%2e:predict']) {
      const p = parsePredictPathCached(url);
      expect(p).toEqual(parsePredictPath(url));
      expect(Object.isFrozen(p)).toBe(true);
      expect(parsePredictPathCached(url)).toBe(p);
    }
  });

  it('keeps no more than its bound of targets and stays correct past it', () => {
    for (let i = 0; i < 3000; i++) expect(parsePredictPathCached(`/v1/models/m${i}:predict`)).toMatchObject({ ok: true, model: `m${i}` });
  });
});
