#!/usr/bin/env node
// Entry point. Runs the compiled build (dist/, built once by `npm ci`) when it is at least as
// new as every source file; otherwise runs the TypeScript sources through tsx, so an edited
// checkout never runs stale code. It never builds or deletes anything itself.
// MODELGATE_FROM_SOURCE=1 forces the sources.
import { buildIsFresh } from './build-freshness.mjs';

if (!process.env.MODELGATE_FROM_SOURCE && buildIsFresh()) {
  await import('../dist/cli.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
