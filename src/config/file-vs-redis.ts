/**
 * When a replica starts with a config file but Redis already holds a config, Redis wins (it
 * carries every admin change since). Route edits made in the file are then not applied: this
 * names the routes that differ, so the start-up warning says exactly what was ignored (pure).
 */
import type { RouteConfig } from './schema.ts';
import { diffRoutes } from './diff.ts';

export interface RouteDifference {
  route: string;
  /** only_in_file | only_in_redis | differs */
  kind: 'only_in_file' | 'only_in_redis' | 'differs';
  /** the first changed paths, e.g. /variants/v2/weight */
  paths: string[];
}

export function differingRoutes(file: Record<string, RouteConfig>, redis: Record<string, RouteConfig>): RouteDifference[] {
  const out: RouteDifference[] = [];
  for (const route of [...new Set([...Object.keys(file), ...Object.keys(redis)])].sort()) {
    if (!(route in redis)) out.push({ route, kind: 'only_in_file', paths: [] });
    else if (!(route in file)) out.push({ route, kind: 'only_in_redis', paths: [] });
    else {
      const ops = diffRoutes(file[route], redis[route]);
      if (ops.length) out.push({ route, kind: 'differs', paths: ops.slice(0, 5).map((o) => o.path) });
    }
  }
  return out;
}

export function describeDifferences(d: readonly RouteDifference[]): string {
  return d.map((x) => (x.kind === 'differs' ? `${x.route} (${x.paths.join(', ')})` : `${x.route} (${x.kind.replace(/_/g, ' ')})`)).join('; ');
}
