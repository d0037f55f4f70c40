/**
 * What each `modelgate ctl` subcommand does over the admin API. Each returns the response
 * body and its human rendering; the command layer prints one or the other.
 */
import { readFileSync } from 'node:fs';
import { parseYaml } from './lazy-yaml.ts';
import { AdminClient, routePath } from './client.ts';
import { parsePositiveInt, parseWeights } from './args.ts';
import { formatAudit, formatChange, formatDryRun, formatHistory, formatKeyValues, formatReplicas, formatRoute, formatRoutes } from './format.ts';

export interface Output {
  body: any;
  text: string;
}

/** A write the server found to change nothing (`"changed": false`) says so first. */
const out = (body: any, text: string): Output => ({
  body,
  text: body?.changed === false ? `nothing changed: the config already is so (still version ${body.version}; no new version or audit entry)\n${text}` : text,
});

export interface ShadowSpec {
  name: string;
  backend: string;
  percent?: number;
  timeout_ms?: number;
  max_inflight?: number;
  version?: string;
  model?: string;
}

export function ctlActions(client: AdminClient) {
  /** read-modify-write of the shadow list with the route's ETag */
  async function editShadows(route: string, edit: (list: ShadowSpec[]) => ShadowSpec[]): Promise<Output> {
    const cur = await client.call('GET', routePath(route));
    const shadows = edit([...(cur.body.config.shadows as ShadowSpec[])]);
    const r = await client.call('PUT', routePath(route, '/shadows'), { shadows }, cur.etag);
    return out(r.body, formatRoute(r.body));
  }

  return {
    routes: async () => {
      const r = await client.call('GET', '/admin/routes');
      return out(r.body, formatRoutes(r.body));
    },
    show: async (route: string) => {
      const r = await client.call('GET', routePath(route));
      return out(r.body, formatRoute(r.body));
    },
    weights: async (route: string, pairs: string[]) => {
      const r = await client.write('PATCH', routePath(route, '/weights'), { weights: parseWeights(pairs) }, routePath(route));
      return out(r.body, formatChange(r.body));
    },
    dryRun: async (route: string, pairs: string[]) => {
      const r = await client.call('POST', routePath(route, '/dry-run'), { weights: parseWeights(pairs) });
      return out(r.body, formatDryRun(r.body));
    },
    explain: async (route: string, unit: string) => {
      const r = await client.call('GET', routePath(route, `/explain?unit=${encodeURIComponent(unit)}`));
      return out(r.body, formatKeyValues(r.body));
    },
    rerandomize: async (route: string, salt?: string) => {
      const r = await client.write('POST', routePath(route, '/rerandomize'), salt ? { salt } : {}, routePath(route));
      return out(r.body, `${r.body.name}: new salt ${r.body.config.salt}, fresh slot table (config version ${r.body.version})`);
    },
    put: async (route: string, file: string) => {
      const text = readFileSync(file, 'utf8');
      const body = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      const r = await client.write('PUT', routePath(route), body);
      return out(r.body, formatRoute(r.body));
    },
    remove: async (route: string) => {
      const r = await client.write('DELETE', routePath(route), undefined);
      return out(r.body, `route ${route} deleted (config version ${r.body.version})`);
    },
    shadowList: async (route: string) => {
      const r = await client.call('GET', routePath(route));
      return out(r.body.config.shadows, formatRoute(r.body));
    },
    shadowSet: (route: string, spec: ShadowSpec) =>
      editShadows(route, (list) => {
        const i = list.findIndex((s) => s.name === spec.name);
        if (i < 0) return [...list, spec];
        list[i] = { ...list[i], ...spec };
        return list;
      }),
    shadowRemove: (route: string, name: string) =>
      editShadows(route, (list) => {
        if (!list.some((s) => s.name === name)) throw new Error(`route ${route} has no shadow "${name}"`);
        return list.filter((s) => s.name !== name);
      }),
    shadowClear: (route: string) => editShadows(route, () => []),
    history: async (limit?: string) => {
      const r = await client.call('GET', `/admin/history${limit ? `?limit=${parsePositiveInt(limit, 'limit')}` : ''}`);
      return out(r.body, formatHistory(r.body));
    },
    restore: async (version: string) => {
      const v = parsePositiveInt(version, 'version');
      const r = await client.write('POST', `/admin/history/${v}/restore`, undefined);
      return out(r.body, r.body.changed === false ? `version ${r.body.restored} equals the current config` : `restored version ${r.body.restored} as config version ${r.body.version}`);
    },
    audit: async (limit?: string) => {
      const r = await client.call('GET', `/admin/audit${limit ? `?limit=${parsePositiveInt(limit, 'limit')}` : ''}`);
      return out(r.body, formatAudit(r.body));
    },
    replicas: async () => {
      const r = await client.call('GET', '/admin/replicas');
      return out(r.body, formatReplicas(r.body));
    },
  };
}
