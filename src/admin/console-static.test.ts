import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { CONSOLE_CSP, consoleStatic } from './console-static.ts';

function built(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mg-ui-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/ui/assets/app-1.js"></script>');
  writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log(1)');
  return dir;
}
const appOf = (dir?: string) => new Hono().route('/ui', consoleStatic(dir));

describe('console static handler', () => {
  it('serves the page and its assets with the strict CSP, long caching only for hashed assets', async () => {
    const app = appOf(built());
    const page = await app.request('/ui/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(CONSOLE_CSP).not.toMatch(/unsafe-(inline|eval)/);
    const js = await app.request('/ui/assets/app-1.js');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await js.text()).toBe('console.log(1)');
    const bare = await app.request('/ui');
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/ui/');
  });

  it('answers unknown files 404, other methods 405, and an unbuilt checkout with how to build it', async () => {
    const app = appOf(built());
    expect((await app.request('/ui/../../etc/passwd')).status).toBe(404);
    const miss = await app.request('/ui/nope.js');
    expect(miss.status).toBe(404);
    expect((await miss.json()).error.code).toBe('NOT_FOUND');
    const post = await app.request('/ui/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const none = await appOf(join(tmpdir(), 'mg-ui-missing-dir')).request('/ui/');
    expect(none.status).toBe(404);
    expect((await none.json()).error.message).toContain('npm run build');
  });
});
