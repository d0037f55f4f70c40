/**
 * The container files, checked by parsing them (no Docker engine on these machines): the
 * Dockerfile's stages, user, health check and copied paths; docker-compose.yml's services,
 * commands, ports and mounted paths against the repo and against the configs they name
 * (modelgate, Prometheus, Grafana, nginx), so they cannot drift apart.
 */
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../src/config/load.ts';

interface Instruction {
  op: string;
  args: string;
  stage: number;
}

function dockerfile(path = 'Dockerfile'): Instruction[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: Instruction[] = [];
  let stage = -1;
  let buf = '';
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (!buf && (line.trim().startsWith('#') || line.trim() === '')) continue;
    if (line.endsWith('\\')) {
      buf += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (buf + line).trim();
    buf = '';
    const [op, ...rest] = full.split(/\s+/);
    const args = full.slice(op.length).trim();
    if (op.toUpperCase() === 'FROM') stage++;
    out.push({ op: op.toUpperCase(), args, stage });
    void rest;
  }
  return out;
}

const compose = () => parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, any>; volumes?: Record<string, unknown> };
/** a container path under /app is the repo path in the image (WORKDIR /app, COPY config ./config) */
const repoPath = (containerPath: string) => containerPath.replace(/^\/app\//, '');
const configArg = (cmd: string[]) => cmd[cmd.indexOf('--config') + 1];
const hostPort = (p: string) => Number(String(p).split(':').at(-2));
const containerPort = (p: string) => Number(String(p).split(':').at(-1));

describe('Dockerfile', () => {
  const ins = dockerfile();
  const last = Math.max(...ins.map((i) => i.stage));
  const final = ins.filter((i) => i.stage === last);

  it('is multi-stage: a named build stage, a runtime stage that copies only its outputs', () => {
    const froms = ins.filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(froms[0].args).toMatch(/ AS build$/i);
    for (const f of froms) expect(f.args).toMatch(/^node:\$\{NODE_VERSION\}|^node:20/);
    expect(ins.find((i) => i.op === 'ARG' && i.args.startsWith('NODE_VERSION='))?.args).toMatch(/^NODE_VERSION=20\./);
    const build = ins.filter((i) => i.stage === 0).map((i) => i.args).join('\n');
    expect(build).toContain('npm ci');
    expect(build).toMatch(/npm prune --omit=dev|npm ci --omit=dev/);
    const fromBuild = final.filter((i) => i.op === 'COPY' && i.args.startsWith('--from=build')).map((i) => i.args.split(/\s+/)[1]);
    expect(fromBuild).toEqual(expect.arrayContaining(['/app/node_modules', '/app/dist', '/app/package.json']));
    // the runtime stage installs nothing and has no sources or dev tooling
    expect(final.filter((i) => i.op === 'RUN')).toEqual([]);
    expect(final.some((i) => i.op === 'COPY' && /(^|\s)src(\s|$)/.test(i.args))).toBe(false);
  });

  it('runs as a non-root user with a health check on /healthz', () => {
    const user = final.filter((i) => i.op === 'USER').at(-1);
    expect(user?.args).toBeDefined();
    expect(user!.args).not.toMatch(/^(root|0)(:|$)/);
    const hc = final.find((i) => i.op === 'HEALTHCHECK');
    expect(hc?.args).toContain('/healthz');
    expect(hc?.args).toMatch(/--interval=\d+s/);
    expect(final.find((i) => i.op === 'WORKDIR')?.args).toBe('/app');
    expect(final.find((i) => i.op === 'ENTRYPOINT')?.args).toBe('["node", "bin/modelgate.js"]');
  });

  it('copies paths that exist, none of them excluded by .dockerignore', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.git', 'dist', '.env']));
    for (const c of ins.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
      const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) {
        expect(existsSync(src), `COPY ${src}`).toBe(true);
        expect(ignored, `${src} is in .dockerignore`).not.toContain(src);
      }
    }
    expect(existsSync('bin/modelgate.js')).toBe(true);
    expect(existsSync('config/gateway.yaml')).toBe(true); // MODELGATE_CONFIG's default in the image
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(/MODELGATE_CONFIG=\/app\/config\/gateway\.yaml/);
  });

  it('the runtime needs only production dependencies: src imports nothing from devDependencies', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.dependencies.tsx).toBeDefined(); // bin/modelgate.js falls back to it
    expect(pkg.scripts.prepare).toContain('build'); // npm ci builds dist/
    const prod = new Set(Object.keys(pkg.dependencies));
    const builtins = new Set(builtinModules);
    const bad: string[] = [];
    const seen = new Set<string>();
    const walk = (dir: string) => {
      for (const e of readdirSync(dir)) {
        const p = join(dir, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) {
          const text = readFileSync(p, 'utf8');
          for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
            const spec = m[1] ?? m[2];
            if (spec.startsWith('.') || spec.startsWith('node:')) continue;
            const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
            seen.add(name);
            if (!prod.has(name) && !builtins.has(name)) bad.push(`${p}: ${spec}`);
          }
        }
      }
    };
    walk('src');
    expect([...seen]).toEqual(expect.arrayContaining(['prom-client', 'ioredis', 'pino', '@opentelemetry/sdk-trace-base', '@opentelemetry/exporter-trace-otlp-http']));
    expect(bad).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  const c = compose();
  const s = c.services;
  const cfgPath = 'config/compose/modelgate.yaml';
  const cfg = loadConfigFile(cfgPath, {}); // no env overrides: the file as compose passes it

  it('has Redis with persistence, two gateway replicas, the monitor, the demo backends, Prometheus and Grafana', () => {
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['redis', 'gateway-1', 'gateway-2', 'monitor', 'backends', 'prometheus', 'grafana']));
    const redis = s.redis;
    expect(redis.command.join(' ')).toMatch(/--appendonly yes/);
    const dataVol = redis.volumes.find((v: string) => v.endsWith(':/data'));
    expect(dataVol).toBeDefined();
    expect(Object.keys(c.volumes ?? {})).toContain(dataVol.split(':')[0]);
    expect(cfg.redis?.url).toBe('redis://redis:6379');
  });

  it('runs the gateways and the monitor with the modelgate command on a config that exists and validates', () => {
    for (const name of ['gateway-1', 'gateway-2']) {
      expect(s[name].build).toBe('.');
      expect(s[name].command[0]).toBe('gateway');
      expect(repoPath(configArg(s[name].command))).toBe(cfgPath);
      expect(repoPath(s[name].environment.MODELGATE_CONFIG)).toBe(cfgPath);
      expect(s[name].environment.MODELGATE_ADMIN_TOKENS).toBeTruthy();
      expect(s[name].environment.MODELGATE_LOG_KEY).toBeTruthy();
      expect(Number(s[name].environment.HEALTH_PORT)).toBe(cfg.listen.port);
      expect(Object.keys(s[name].depends_on)).toEqual(expect.arrayContaining(['redis', 'backends']));
    }
    expect(s.monitor.command[0]).toBe('monitor');
    expect(repoPath(configArg(s.monitor.command))).toBe(cfgPath);
    expect(Number(s.monitor.environment.HEALTH_PORT)).toBe(cfg.monitor.port);
    // containers listen on every interface, or nothing outside them reaches the ports
    expect(cfg.listen.host).toBe('0.0.0.0');
    expect(cfg.monitor.host).toBe('0.0.0.0');
    // the admin API is published on the host's loopback only
    for (const p of s['gateway-1'].ports ?? []) if (containerPort(p) === cfg.admin.port) expect(String(p)).toMatch(/^127\.0\.0\.1:/);
  });

  it('the demo backends serve every backend the config routes to', () => {
    expect(s.backends.entrypoint).toEqual(['node']);
    const script = s.backends.command[0];
    expect(existsSync(script)).toBe(true);
    const ports = [...readFileSync(script, 'utf8').matchAll(/model: '([\w-]+)', port: (\d+)/g)].map((m) => ({ model: m[1], port: Number(m[2]) }));
    const route = cfg.routes.fraud;
    for (const b of [...route.variants, ...route.shadows]) {
      const u = new URL(b.backend);
      expect(u.hostname).toBe('backends');
      expect(ports).toContainEqual({ model: b.model, port: Number(u.port) });
    }
    expect(cfg.admin.allow_backends).toContain('backends');
    expect(existsSync(s.traffic.command[0])).toBe(true);
    expect(readFileSync(script, 'utf8')).toContain("from '../../dist/demo/backend.js'");
    expect(existsSync('src/demo/backend.ts') && existsSync('src/demo/traffic.ts')).toBe(true);
  });

  it('every bind mount exists in the repo, and ports and depends_on are consistent', () => {
    const published = new Set<number>();
    for (const [name, svc] of Object.entries(s)) {
      for (const v of (svc.volumes ?? []) as string[]) {
        const src = v.split(':')[0];
        if (src.startsWith('./')) expect(existsSync(src), `${name}: ${src}`).toBe(true);
        else expect(Object.keys(c.volumes ?? {}), `${name}: volume ${src}`).toContain(src);
      }
      for (const p of (svc.ports ?? []) as string[]) {
        const hp = hostPort(p);
        expect(published.has(hp), `host port ${hp} published twice`).toBe(false);
        published.add(hp);
      }
      const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
      for (const d of deps) expect(Object.keys(s), `${name} depends on ${d}`).toContain(d);
    }
  });

  it('Prometheus scrapes every gateway replica and the monitor on their configured ports', () => {
    const mount = s.prometheus.volumes.find((v: string) => v.startsWith('./config/prometheus:'));
    expect(mount).toBeDefined();
    const target = mount.split(':')[1];
    const cfgFlag = s.prometheus.command.find((a: string) => a.startsWith('--config.file='));
    const promFile = cfgFlag.split('=')[1];
    expect(promFile.startsWith(`${target}/`)).toBe(true);
    const local = join('config/prometheus', promFile.slice(target.length + 1));
    const prom = parse(readFileSync(local, 'utf8'));
    for (const r of prom.rule_files) expect(existsSync(join('config/prometheus', r)), r).toBe(true);
    const targetsOf = (job: string) => prom.scrape_configs.find((j: any) => j.job_name === job).static_configs.flatMap((sc: any) => sc.targets);
    const gateways = Object.keys(s).filter((n) => s[n].command?.[0] === 'gateway');
    expect(gateways.length).toBe(2);
    expect(targetsOf('modelgate-gateway').sort()).toEqual(gateways.map((g) => `${g}:${cfg.listen.port}`).sort());
    expect(targetsOf('modelgate-monitor')).toEqual([`monitor:${cfg.monitor.port}`]);
  });

  it('Grafana gets the Prometheus datasource and the dashboard provisioned', () => {
    const vols: string[] = s.grafana.volumes;
    const mountOf = (src: string) => vols.find((v) => v.startsWith(`${src}:`))?.split(':')[1];
    expect(mountOf('./config/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const dashDir = mountOf('./config/grafana/dashboards');
    const ds = parse(readFileSync('config/grafana/provisioning/datasources/prometheus.yml', 'utf8')).datasources[0];
    expect(ds.type).toBe('prometheus');
    const u = new URL(ds.url);
    expect(Object.keys(s)).toContain(u.hostname);
    expect(s[u.hostname].ports.map(containerPort)).toContain(Number(u.port));
    const provider = parse(readFileSync('config/grafana/provisioning/dashboards/modelgate.yml', 'utf8')).providers[0];
    expect(provider.options.path).toBe(dashDir);
    const dash = JSON.parse(readFileSync('config/grafana/dashboards/modelgate.json', 'utf8'));
    expect(dash.uid).toBe('modelgate');
    // no hard-coded datasource: an import asks for one (__inputs), and every panel, query,
    // variable and annotation reads the `datasource` variable (provisioning: the default one)
    expect(dash.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    const dsVar = dash.templating.list.find((v: any) => v.name === 'datasource');
    expect(dsVar).toMatchObject({ type: 'datasource', query: 'prometheus', current: { value: '${DS_PROMETHEUS}' } });
    expect(ds.isDefault).toBe(true);
    const refs: unknown[] = [];
    let panels = 0;
    const walk = (list: any[]) => {
      for (const p of list ?? []) {
        panels++;
        refs.push(p.datasource);
        for (const t of p.targets ?? []) refs.push(t.datasource);
        walk(p.panels);
      }
    };
    walk(dash.panels);
    for (const v of dash.templating.list) if (v.type === 'query') refs.push(v.datasource);
    for (const a of dash.annotations.list) refs.push(a.datasource);
    expect(panels).toBeGreaterThan(30);
    expect(new Set(refs.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify({ type: 'prometheus', uid: '${datasource}' })]));
    expect(s.grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(`${dashDir}/modelgate.json`);
  });

  it('the load balancer spreads over both replicas', () => {
    const conf = readFileSync(s.lb.volumes[0].split(':')[0], 'utf8');
    const servers = [...conf.matchAll(/server ([\w-]+):(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(servers.sort()).toEqual(['gateway-1', 'gateway-2'].map((g) => `${g}:${cfg.listen.port}`));
    expect(s.traffic.environment.TRAFFIC_URL).toBe(`http://lb:${containerPort(s.lb.ports[0])}`);
  });
});
