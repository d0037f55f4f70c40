/**
 * The OpenAPI document as a newcomer meets it: fetched from a real admin server without a
 * token, linted by @redocly/cli (recommended rules, no errors and no warnings), listing exactly
 * the calls the admin hono app registers (both ways), and describing what the calls answer.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminApp } from '../src/admin/app.ts';
import { OPENAPI_PATH, openApiDocument } from '../src/admin/openapi/document.ts';
import { startAdminServer, type AdminServer } from '../src/admin/server.ts';
import { parseConfig } from '../src/config/load.ts';
import { MemoryConfigStore } from '../src/config/memory-store.ts';
import { initialSnapshot } from '../src/config/snapshot.ts';
import { ERROR_CODES } from '../src/errors.ts';
import { GatewayMetrics } from '../src/telemetry/gateway-metrics.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { createRegistry } from '../src/telemetry/registry.ts';

const cfg = parseConfig({
  listen: { host: '0.0.0.0', port: 8080 },
  admin: { port: 0 },
  routes: {
    fraud: {
      models: ['fraud'],
      unit: { header: 'x-user-id' },
      variants: [
        { name: 'v1', backend: 'http://127.0.0.1:9001', version: '1.4.2', weight: 90 },
        { name: 'v2', backend: 'http://127.0.0.1:9002', version: '2.0.0', weight: 10 },
      ],
    },
  },
});
const env = { MODELGATE_ADMIN_TOKENS: 'alice:tok-alice' };
const deps = () => {
  const store = new MemoryConfigStore(initialSnapshot(cfg));
  const metrics = new GatewayMetrics(createRegistry('gateway'));
  metrics.configApplied(store.current());
  return { cfg, store, prefix: 'modelgate', logger: silentLogger(), replicaId: 'solo', registry: metrics.registry };
};
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** hono's `/routes/:route/canary/:op{pause|resume}` as an OpenAPI template `/routes/{route}/canary/{op}` */
export const honoToOpenApi = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');

let server: AdminServer;
let url: string;
let served: any;

beforeAll(async () => {
  server = (await startAdminServer(deps(), '127.0.0.1', 0, { env }))!;
  url = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server?.close());

describe('GET /admin/openapi.json', () => {
  it('answers without a token, as JSON, the document built from the config', async () => {
    const r = await fetch(url + OPENAPI_PATH);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    served = await r.json();
    expect(served.openapi).toBe('3.1.0');
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument(cfg))));
    // the data plane's server is the configured one, dialled on loopback
    expect(served.paths['/v1/models/{model}:predict'].servers[0].variables).toEqual({ host: { default: '127.0.0.1' }, port: { default: '8080' } });
    // everything else on the admin port still needs a token
    expect((await fetch(`${url}/admin/routes`)).status).toBe(401);
    expect((await fetch(url + OPENAPI_PATH, { method: 'POST' })).status).toBe(401);
  });

  it('passes `redocly lint` (recommended rules) without errors or warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(served, null, 2));
      const r = spawnSync(process.execPath, ['node_modules/@redocly/cli/bin/cli.js', 'lint', file, '--format=json'], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      });
      const start = r.stdout.indexOf('{');
      expect(start, `redocly printed no JSON report:\n${r.stdout}\n${r.stderr}`).toBeGreaterThanOrEqual(0);
      const report = JSON.parse(r.stdout.slice(start));
      expect(report.problems.map((p: any) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('lists every call the admin app registers, and nothing the app does not have', () => {
    const app = createAdminApp(deps(), { env });
    // the API (the console's static page under /ui/ is not an API call)
    const registered = new Set(app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/admin/')).map((r) => `${r.method} ${honoToOpenApi(r.path)}`));
    expect(app.routes.filter((r) => r.method !== 'ALL' && !r.path.startsWith('/admin/')).every((r) => r.path.startsWith('/ui'))).toBe(true);
    const documented = new Set<string>();
    for (const [path, item] of Object.entries<any>(served.paths)) {
      if (!path.startsWith('/admin/')) continue;
      for (const m of METHODS) if (item[m]) documented.add(`${m.toUpperCase()} ${path}`);
    }
    expect(registered.size).toBeGreaterThan(25);
    expect([...registered].filter((x) => !documented.has(x)), 'registered but not documented').toEqual([]);
    expect([...documented].filter((x) => !registered.has(x)), 'documented but not registered').toEqual([]);
    // a path parameter constrained in hono is an enum in the document
    const op = served.paths['/admin/routes/{route}/canary/{op}'].post.parameters.find((p: any) => p.name === 'op');
    expect(op.schema.enum).toEqual(['pause', 'resume', 'promote', 'abort']);
  });

  it('every operation is unique, tagged, secured as it is served, and its errors are real codes', () => {
    const ids = new Set<string>();
    const tags = new Set(served.tags.map((t: any) => t.name));
    for (const [path, item] of Object.entries<any>(served.paths))
      for (const m of METHODS) {
        const op = item[m];
        if (!op) continue;
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
        expect(tags.has(op.tags?.[0]), `${m} ${path} tag`).toBe(true);
        const open = path === OPENAPI_PATH || !path.startsWith('/admin/');
        expect(op.security, `${m} ${path}`).toEqual(open ? [] : undefined);
        if (!open) expect(Object.keys(op.responses), `${m} ${path}`).toContain('401');
        for (const [status, resp] of Object.entries<any>(op.responses)) {
          if (resp.content?.['application/json']?.schema?.$ref !== '#/components/schemas/Error') continue;
          const codes = [...String(resp.description).matchAll(/`([A-Z_]+)`/g)].map((x) => x[1]);
          expect(codes.length, `${m} ${path} ${status}`).toBeGreaterThan(0);
          for (const c of codes) expect(ERROR_CODES[c as keyof typeof ERROR_CODES]?.status, `${c} in ${m} ${path}`).toBe(Number(status));
        }
      }
    expect(ids.size).toBeGreaterThan(40);
    expect(served.components.schemas.Error.properties.error.properties.code.enum).toEqual(Object.keys(ERROR_CODES));
  });

  it('the answers of the read calls have the documented required fields', async () => {
    const auth = { authorization: 'Bearer tok-alice' };
    const schemaOf = (path: string, method = 'get', status = '200') => {
      const s = served.paths[path][method].responses[status].content['application/json'].schema;
      return s.$ref ? served.components.schemas[s.$ref.split('/').pop()] : s;
    };
    const calls: Array<[string, string, string, unknown?]> = [
      ['/admin/routes', '/admin/routes', 'get'],
      ['/admin/routes/{route}', '/admin/routes/fraud', 'get'],
      ['/admin/routes/{route}/explain', '/admin/routes/fraud/explain?unit=alice', 'get'],
      ['/admin/routes/{route}/dry-run', '/admin/routes/fraud/dry-run', 'post', { weights: { v1: 50, v2: 50 } }],
      ['/admin/history', '/admin/history', 'get'],
      ['/admin/audit', '/admin/audit', 'get'],
      ['/admin/replicas', '/admin/replicas', 'get'],
      ['/admin/stats', '/admin/stats', 'get'],
      ['/admin/routes/{route}/stats', '/admin/routes/fraud/stats', 'get'],
    ];
    for (const [template, path, method, body] of calls) {
      const r = await fetch(url + path, { method: method.toUpperCase(), headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      expect(r.status, path).toBe(200);
      const json = await r.json();
      for (const k of schemaOf(template, method).required ?? []) expect(json, `${path}: ${k}`).toHaveProperty(k);
      if (served.paths[template][method].responses['200'].headers?.ETag) expect(r.headers.get('etag'), path).toMatch(/^"\d+"$/);
    }
    // the route config schema is generated from the validator: a live config satisfies its required keys
    const route = await (await fetch(`${url}/admin/routes/fraud`, { headers: auth })).json();
    for (const k of served.components.schemas.RouteConfig.required) expect(route.config, k).toHaveProperty(k);
    // an error answer has the documented error shape
    const missing = await (await fetch(`${url}/admin/routes/nope`, { headers: auth })).json();
    for (const k of served.components.schemas.Error.properties.error.required) expect(missing.error).toHaveProperty(k);
  });
});
