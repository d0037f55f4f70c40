import { describe, expect, it } from 'vitest';
import { MAX_BATCH, parseOutcomes } from './outcome-schema.ts';

describe('parseOutcomes', () => {
  it('accepts one outcome keyed by request id, value defaulting to 1', () => {
    const r = parseOutcomes({ request_id: 'abc', metric: 'converted' });
    expect(r).toEqual({ ok: true, batch: false, outcomes: [{ request_id: 'abc', metric: 'converted', value: 1 }] });
  });

  it('accepts a batch keyed by units, numbers as units', () => {
    const r = parseOutcomes({ outcomes: [{ unit: 'u1', route: 'fraud', metric: 'revenue', value: 12.5, id: 'o1' }, { unit: 42, model: 'fraud', metric: 'converted', value: 0 }] });
    expect(r.ok && r.outcomes.length).toBe(2);
    expect(r.ok && r.batch).toBe(true);
  });

  it('lists every problem of every outcome with its path', () => {
    const r = parseOutcomes({ outcomes: [{ metric: 'converted' }, { request_id: 'a', unit: 'b', metric: '1bad name', value: 'x' }, { request_id: 'c', metric: 'ok', extra: 1 }, { request_id: 'd', unit: 'e', metric: 'ok' }] });
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['outcomes[0].request_id', 'outcomes[1].metric', 'outcomes[1].value', 'outcomes[2].extra', 'outcomes[3].request_id']));
  });

  it('bounds batch length, metric names and values', () => {
    const many = { outcomes: Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ request_id: `r${i}`, metric: 'm' })) };
    expect(parseOutcomes(many).ok).toBe(false);
    expect(parseOutcomes({ outcomes: [] }).ok).toBe(false);
    expect(parseOutcomes({ request_id: 'a', metric: 'm'.repeat(65) }).ok).toBe(false);
    expect(parseOutcomes({ request_id: 'a', metric: 'm'.repeat(64) }).ok).toBe(true);
    expect(parseOutcomes(JSON.parse('{"request_id":"a","metric":"m","value":1e309}')).ok).toBe(false);
    expect(parseOutcomes({ request_id: 'a', metric: 'm', value: 2e12 }).ok).toBe(false);
    expect(parseOutcomes({ request_id: 'x'.repeat(129), metric: 'm' }).ok).toBe(false);
    expect(parseOutcomes([{ request_id: 'a', metric: 'm' }]).ok).toBe(false);
    expect(parseOutcomes(null).ok).toBe(false);
  });

  it('accepts labels instead of metric/value, by request id or by unit with the prediction time', () => {
    expect(parseOutcomes({ request_id: 'r1', label: 1 })).toEqual({ ok: true, batch: false, outcomes: [{ request_id: 'r1', label: 1 }] });
    expect(parseOutcomes({ unit: 'u', ts: 1700000000000, label: 12.5, index: 2 }).ok).toBe(true);
    const bad = parseOutcomes({ outcomes: [{ request_id: 'a', label: 1, metric: 'm' }, { unit: 'u', label: 0 }, { request_id: 'b', label: 1, value: 2 }, { request_id: 'c' }, { request_id: 'd', metric: 'm', index: 1 }] });
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toEqual(['outcomes[0].label', 'outcomes[1].ts', 'outcomes[2].value', 'outcomes[3].metric', 'outcomes[4].index']);
  });
});
