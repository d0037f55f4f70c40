/** Human-readable tables for ctl output (cli-table3); `--json` bypasses all of this. */
import Table from 'cli-table3';

const table = (head: string[]) => new Table({ head, style: { head: [], border: [] } });
const pct = (share: number) => `${+(share * 100).toFixed(2)}%`;
const when = (ts: number) => new Date(ts).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

interface RouteView {
  name: string;
  version: number;
  weights: Record<string, number>;
  config: {
    models: string[];
    unit?: Record<string, string>;
    salt?: string;
    variants: Array<{ name: string; weight: number; version?: string; backend: string; model?: string }>;
    shadows: Array<{ name: string; percent: number; backend: string; timeout_ms: number }>;
  };
}

export function formatRoutes(body: { version: number; routes: Record<string, RouteView> }): string {
  const t = table(['route', 'models', 'weights', 'shadows', 'unit']);
  for (const r of Object.values(body.routes)) {
    const unit = r.config.unit ? Object.entries(r.config.unit).map(([k, v]) => `${k}:${v}`).join('') : '-';
    t.push([r.name, r.config.models.join(', '), Object.entries(r.weights).map(([v, w]) => `${v} ${w}%`).join(', '), r.config.shadows.map((s) => `${s.name} ${s.percent}%`).join(', ') || '-', unit]);
  }
  return `config version ${body.version}\n${t.toString()}`;
}

export function formatRoute(r: RouteView): string {
  const v = table(['variant', 'weight', 'version', 'backend', 'model']);
  for (const x of r.config.variants) v.push([x.name, `${x.weight}%`, x.version || '-', x.backend, x.model ?? '-']);
  const lines = [`route ${r.name} (config version ${r.version}) models: ${r.config.models.join(', ')} salt: ${r.config.salt ?? r.name}`, v.toString()];
  if (r.config.shadows.length) {
    const s = table(['shadow', 'percent', 'backend', 'timeout']);
    for (const x of r.config.shadows) s.push([x.name, `${x.percent}%`, x.backend, `${x.timeout_ms} ms`]);
    lines.push(s.toString());
  } else lines.push('no shadows');
  return lines.join('\n');
}

export function formatChange(r: RouteView & { moved?: number }): string {
  const w = Object.entries(r.weights).map(([v, x]) => `${v} ${x}%`).join(', ');
  return `${r.name}: ${w} (config version ${r.version}${r.moved !== undefined ? `; ${pct(r.moved)} of units changed variant` : ''})`;
}

export function formatDryRun(b: { route: string; moved: number; pairs: Record<string, Record<string, number>> }): string {
  const t = table(['from', 'to', 'units moving']);
  for (const [from, row] of Object.entries(b.pairs)) for (const [to, share] of Object.entries(row)) t.push([from, to, pct(share)]);
  return `${b.route}: ${pct(b.moved)} of units would change variant\n${t.toString()}`;
}

export function formatKeyValues(o: Record<string, unknown>): string {
  const t = new Table({ style: { head: [], border: [] } });
  for (const [k, v] of Object.entries(o)) if (k !== 'warning') t.push({ [k]: Array.isArray(v) ? v.join(', ') || '-' : String(v) });
  return t.toString();
}

export function formatHistory(b: { version: number; history: Array<{ version: number; ts: number; actor: string; action: string; route?: string }> }): string {
  const t = table(['version', 'when', 'who', 'action', 'route']);
  for (const h of b.history) t.push([h.version === b.version ? `${h.version} (current)` : String(h.version), when(h.ts), h.actor, h.action, h.route ?? '-']);
  return t.toString();
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const show = (x: unknown) => (x === undefined ? '∅' : JSON.stringify(x));

export function formatAudit(b: { entries: Array<{ version: number; ts: number; actor: string; action: string; route?: string; diff?: Array<{ path: string; from?: unknown; to?: unknown }> }> }): string {
  const t = table(['version', 'when', 'who', 'action', 'route', 'changes']);
  for (const e of b.entries) {
    const diff = Array.isArray(e.diff) ? e.diff : [];
    const changes = diff.slice(0, 6).map((d) => clip(`${d.path}: ${show(d.from)} → ${show(d.to)}`, 100));
    if (diff.length > 6) changes.push(`… ${diff.length - 6} more`);
    t.push([String(e.version), when(e.ts), e.actor, e.action, e.route ?? '-', changes.join('\n').slice(0, 800) || '-']);
  }
  return t.toString();
}

export function formatReplicas(b: { version: number; unreachable_nodes?: string[]; replicas: Array<{ id: string; version: number; age_ms: number; host?: string; pid?: number; current: boolean; store_healthy?: boolean }> }): string {
  const t = table(['replica', 'config version', 'heartbeat', 'host', 'pid', 'redis']);
  for (const r of b.replicas) t.push([r.id, `${r.version}${r.current ? '' : ' (behind)'}`, `${(r.age_ms / 1000).toFixed(1)} s ago`, r.host ?? '-', String(r.pid ?? '-'), r.store_healthy === false ? 'unreachable' : 'ok']);
  const partial = b.unreachable_nodes?.length ? `\nRedis Cluster masters not answering (their replicas are missing above): ${b.unreachable_nodes.join(', ')}` : '';
  return `latest config version ${b.version}\n${t.toString()}${partial}`;
}
