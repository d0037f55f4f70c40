import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.ts';
import { describeDifferences, differingRoutes } from './file-vs-redis.ts';

const routes = (w1: number, extra = {}) =>
  parseConfig({ routes: { fraud: { models: ['fraud'], variants: [{ name: 'v1', backend: 'http://127.0.0.1:1', weight: w1 }, { name: 'v2', backend: 'http://127.0.0.1:2', weight: 100 - w1 }] }, ...extra } }, 'x', {}).routes;

describe('file vs redis routes', () => {
  it('names the routes that differ, and nothing when they agree', () => {
    expect(differingRoutes(routes(90), routes(90))).toEqual([]);
    const d = differingRoutes(routes(50), routes(90));
    expect(d.map((x) => x.route)).toEqual(['fraud']);
    expect(d[0].paths).toContain('/variants/v1/weight');
    expect(describeDifferences(d)).toContain('fraud (/variants/v1/weight');
    const extra = { other: { models: ['other'], variants: [{ name: 'a', backend: 'http://127.0.0.1:3', weight: 100 }] } };
    expect(differingRoutes(routes(90, extra), routes(90))).toEqual([{ route: 'other', kind: 'only_in_file', paths: [] }]);
  });
});
