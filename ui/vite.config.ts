/**
 * Builds the operator console (ui/) into dist/ui, served at /ui/ on the admin port by
 * src/admin/console-static.ts. Everything ships in the package: no CDN, no inline script
 * (the page runs under a strict Content-Security-Policy).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/ui/',
  publicDir: 'public',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // a single small bundle; the CSP forbids inline assets anyway
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
