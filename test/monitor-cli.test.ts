/** `modelgate baseline build` as a user runs it. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkVariantBaseline } from '../src/monitor/drift/baseline.ts';

const run = promisify(execFile);

describe('modelgate baseline build', () => {
  it('writes a valid baseline from a CSV training file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-cli-'));
    const csv = join(dir, 'train.csv');
    const rows = ['id,amount,country,score', ...Array.from({ length: 300 }, (_, i) => `${i},${(i * 37) % 101},${['US', 'DE', 'FR'][i % 3]},${(i % 10) / 10}`)];
    writeFileSync(csv, rows.join('\n'));
    const out = join(dir, 'baseline.json');
    const { stderr } = await run(process.execPath, ['bin/modelgate.js', 'baseline', 'build', '--route', 'fraud', '--variant', 'v1', '--model-version', '1.4.2', '--output-column', 'score', '--exclude', 'id', '--out', out, csv]);
    expect(stderr).toContain('300 rows, 2 features, output numeric');
    const b = JSON.parse(readFileSync(out, 'utf8'));
    expect(b).toMatchObject({ variant: 'v1', model_version: '1.4.2', source: 'file', entries: 300, features: { amount: { kind: 'numeric', n: 300 }, country: { kind: 'categorical', counts: { US: 100, DE: 100, FR: 100 } } }, output: { kind: 'numeric' } });
    expect(b.features.amount.edges).toHaveLength(9);
    expect(checkVariantBaseline(b).ok).toBe(true);
  });
});
