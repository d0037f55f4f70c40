/**
 * Headless Chromium for the console tests: Debian's /usr/bin/chromium driven by playwright-core
 * (no browser download), a fresh profile per launch, and every console error and page error
 * collected. Fails at once, with the one line to run, when chromium is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.MODELGATE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  page: Page;
  /** console errors and page errors, each tagged with the phase it happened in */
  errors: { phase: string; text: string }[];
  phase: string;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium is missing at ${CHROMIUM}: run  apt-get install -y chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'mg-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  const b: Browser = {
    page,
    errors: [],
    phase: 'start',
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  page.on('console', (m) => {
    if (m.type() === 'error') b.errors.push({ phase: b.phase, text: m.text() });
  });
  page.on('pageerror', (e) => b.errors.push({ phase: b.phase, text: `page error: ${e.message}` }));
  return b;
}

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);

/** Builds ui/ into dist/ui when it is missing or older than its sources (as `npm run build` does). */
export function ensureConsoleBuilt(root = process.cwd()): void {
  const index = join(root, 'dist', 'ui', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(newest(join(root, 'ui', 'src')), statSync(join(root, 'ui', 'index.html')).mtimeMs)) return;
  execFileSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', join(root, 'ui', 'vite.config.ts')], { stdio: 'pipe' });
}
