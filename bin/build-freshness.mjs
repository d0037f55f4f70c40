// Is dist/ (the compiled build) at least as new as every source file? One definition, used by
// the bin (run the build or the sources) and by scripts/build.mjs (skip a build that is fresh).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const stampPath = join(root, 'dist', '.build-stamp');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|tsx|css|html)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** true when dist/ holds a finished build no older than src/ (or there is no src/ to compare) */
export function buildIsFresh() {
  if (!existsSync(stampPath)) return false;
  const stamp = statSync(stampPath).mtimeMs;
  return ['src', 'ui'].every((d) => !existsSync(join(root, d)) || stamp >= newestSource(join(root, d)));
}
