// `npm run build`: compile src/ into dist/. The new build is made beside the old one and swapped
// in at the end, so a `modelgate` started meanwhile runs either build, never a half-deleted one.
// `--if-stale` (what `prepare`, hence `npm ci` and `npx`, runs) does nothing when dist/ is fresh.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIsFresh, root } from '../bin/build-freshness.mjs';

if (process.argv.includes('--if-stale') && buildIsFresh()) process.exit(0);

const next = join(root, '.dist-next');
const old = join(root, '.dist-old');
const dist = join(root, 'dist');
rmSync(next, { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', next], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  process.exit(r.status ?? 1);
}
// the console UI (ui/, vite) goes to dist/ui
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (existsSync(join(root, 'ui', 'vite.config.ts'))) {
  const v = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'ui', 'vite.config.ts'), '--outDir', join(next, 'ui'), '--emptyOutDir'], { cwd: root, stdio: 'inherit' });
  if (v.status !== 0) {
    rmSync(next, { recursive: true, force: true });
    process.exit(v.status ?? 1);
  }
}
writeFileSync(join(next, '.build-stamp'), new Date().toISOString());
rmSync(old, { recursive: true, force: true });
if (existsSync(dist)) renameSync(dist, old);
renameSync(next, dist);
rmSync(old, { recursive: true, force: true });
