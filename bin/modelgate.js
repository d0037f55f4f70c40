#!/usr/bin/env node
// Entry point. Runs the compiled build (dist/, from `npm run build`, which `npm ci` runs) when
// it is at least as new as every source file; otherwise runs the TypeScript sources through
// tsx, so an edited checkout never runs stale code. MODELGATE_FROM_SOURCE=1 forces the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const fresh = !process.env.MODELGATE_FROM_SOURCE && existsSync(stamp) && (!existsSync(join(root, 'src')) || statSync(stamp).mtimeMs >= newestSource(join(root, 'src')));
if (fresh) {
  await import('../dist/cli.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
