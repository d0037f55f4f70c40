import { describe, expect, it } from 'vitest';
import { parsePositiveInt, parseWeights } from './args.ts';
import { describeFailure } from './client.ts';

describe('ctl args', () => {
  it('parses NAME=PERCENT pairs', () => {
    expect(parseWeights(['v1=75', 'v2=25.5%'])).toEqual({ v1: 75, v2: 25.5 });
    expect(() => parseWeights(['v1:75'])).toThrow(/NAME=PERCENT/);
    expect(() => parseWeights(['v1=1', 'v1=2'])).toThrow(/twice/);
    expect(() => parseWeights([])).toThrow();
    expect(() => parsePositiveInt('x', 'version')).toThrow(/positive integer/);
  });

  it('describes failures in one clear line, 400 with every problem', () => {
    expect(describeFailure(401, 'UNAUTHORIZED', 'missing or invalid bearer token')).toMatch(/^401 .*MODELGATE_ADMIN_TOKEN/);
    expect(describeFailure(412, 'PRECONDITION_FAILED', 'x')).toMatch(/^412 the config changed/);
    expect(describeFailure(400, 'INVALID_CONFIG', 'bad', [{ path: 'weights.v9', message: 'unknown' }, { path: 'weights', message: 'sum' }])).toBe(
      '400 INVALID_CONFIG: bad\n  - weights.v9: unknown\n  - weights: sum',
    );
  });
});
