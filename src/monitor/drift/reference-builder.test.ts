import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quantileEdges } from '../../stats/index.ts';
import { checkVariantBaseline } from './baseline.ts';
import { outputValue, ReferenceBuilder, REFERENCE_SAMPLE_MAX } from './reference-builder.ts';
import { readTrainingFile } from './training-file.ts';

describe('ReferenceBuilder', () => {
  it('builds numeric references with decile edges, bin counts and a bounded sorted sample', () => {
    const b = new ReferenceBuilder();
    const xs = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000) / 10);
    for (const x of xs) b.addInstance({ a: x, country: x > 250 ? 'US' : 'DE', flag: x > 100 });
    const r = b.build({ variant: 'v1', model_version: '1', source: 'file' });
    const a = r.features.a;
    if (a.kind !== 'numeric') throw new Error('expected numeric');
    expect(a.edges).toEqual(quantileEdges(xs));
    expect(a.counts.reduce((s, c) => s + c, 0)).toBe(5000);
    expect(a.counts).toEqual(Array(10).fill(500));
    expect(a.sample.length).toBe(REFERENCE_SAMPLE_MAX);
    expect([...a.sample].sort((p, q) => p - q)).toEqual(a.sample);
    const us = xs.filter((x) => x > 250).length;
    expect(r.features.country).toEqual({ kind: 'categorical', n: 5000, counts: { US: us, DE: 5000 - us } });
    expect(r.features.flag.kind).toBe('categorical');
    expect(r.output).toBeNull();
    expect(checkVariantBaseline(JSON.parse(JSON.stringify(r))).ok).toBe(true);
  });

  it('turns outputs into one value: number, label, or argmax class', () => {
    expect([outputValue(0.3), outputValue('cat'), outputValue([0.1, 0.7, 0.2]), outputValue([0.4])]).toEqual([0.3, 'cat', 'class_1', 0.4]);
  });

  it('reports every problem of an invalid upload', () => {
    const r = checkVariantBaseline({ features: { a: { kind: 'numeric', edges: [1, 2], counts: [1], sample: [], n: 0 }, b: { kind: 'x' } } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual(['features.a.counts: expected edges.length + 1 counts', 'features.a.n: expected a positive count', 'features.b.kind: expected "numeric" or "categorical"']);
  });
});

describe('readTrainingFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-train-'));
  it('reads CSV with a header, numbers as numbers, the output column apart', async () => {
    const f = join(dir, 't.csv');
    writeFileSync(f, 'id,amount,country,score\n1,10.5,US,0.2\n2,,DE,0.9\n3,3e2,"F,R",0.5\n');
    const b = await readTrainingFile(f, { outputColumn: 'score', exclude: ['id'] });
    const r = b.build({ variant: 'v1', model_version: '', source: 'file' });
    expect(b.rows).toBe(3);
    expect(Object.keys(r.features).sort()).toEqual(['amount', 'country']);
    expect(r.features.amount).toMatchObject({ kind: 'numeric', n: 2 });
    expect(r.features.country).toMatchObject({ kind: 'categorical', counts: { US: 1, DE: 1, 'F,R': 1 } });
    expect(r.output).toMatchObject({ kind: 'numeric', n: 3 });
  });
  it('reads JSON Lines, flat or with features and prediction', async () => {
    const f = join(dir, 't.jsonl');
    writeFileSync(f, '{"amount": 1, "prediction": "fraud"}\n\n{"features": {"amount": 2}, "prediction": "ok"}\n');
    const r = (await readTrainingFile(f)).build({ variant: 'v1', model_version: '', source: 'file' });
    expect(r.features.amount).toMatchObject({ kind: 'numeric', n: 2 });
    expect(r.output).toEqual({ kind: 'categorical', n: 2, counts: { fraud: 1, ok: 1 } });
  });
  it('names the line of invalid JSON', async () => {
    const f = join(dir, 'bad.jsonl');
    writeFileSync(f, '{"a":1}\n{nope\n');
    await expect(readTrainingFile(f)).rejects.toThrow('bad.jsonl:2');
  });
});
