/**
 * Serves the operator console (the page built from ui/ into dist/ui at build time) at /ui/
 * on the admin port. The page itself needs no token: it holds no data, and every admin call
 * it makes carries `Authorization: Bearer` from sessionStorage (no cookies, so no CSRF
 * surface). Every answer carries a strict Content-Security-Policy: only this origin's
 * scripts, styles and calls; no inline script, no eval, no framing.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { sendError } from './respond.ts';

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
};

const here = dirname(fileURLToPath(import.meta.url));

/** dist/ui beside the compiled admin code (dist/admin -> dist/ui) or from the sources (src/admin -> dist/ui). */
export function consoleDir(): string | undefined {
  for (const d of [join(here, '..', 'ui'), join(here, '..', '..', 'dist', 'ui')]) if (existsSync(join(d, 'index.html'))) return d;
  return undefined;
}

interface Asset {
  body: Buffer;
  type: string;
  immutable: boolean;
}

/** Reads every built file once, at start: the handler never touches the disk per request. */
export function loadAssets(dir: string): Map<string, Asset> {
  const out = new Map<string, Asset>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const rel = relative(dir, p).split(sep).join('/');
        out.set(rel, { body: readFileSync(p), type: TYPES[extname(p)] ?? 'application/octet-stream', immutable: rel.startsWith('assets/') });
      }
    }
  };
  walk(dir);
  return out;
}

function secure(c: Context): void {
  c.header('Content-Security-Policy', CONSOLE_CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
}

export function consoleStatic(dir: string | undefined = consoleDir()): Hono {
  const app = new Hono();
  const assets = dir && existsSync(join(dir, 'index.html')) ? loadAssets(dir) : new Map<string, Asset>();
  app.use('*', async (c, next) => {
    secure(c);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      return sendError(c, 'METHOD_NOT_ALLOWED', `${c.req.method} is not allowed here; use GET`);
    }
    await next();
  });
  app.get('/*', (c) => {
    if (c.req.path === '/ui') return c.redirect('/ui/', 308);
    const path = c.req.path.replace(/^\/ui\/?/, '') || 'index.html';
    const a = assets.get(path);
    if (!a) {
      if (!assets.size) return sendError(c, 'NOT_FOUND', 'the console is not built: run `npm run build` (it builds ui/ into dist/ui)');
      return sendError(c, 'NOT_FOUND', `no console file ${c.req.path}`);
    }
    c.header('Content-Type', a.type);
    c.header('Cache-Control', a.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(new Uint8Array(a.body));
  });
  return app;
}
