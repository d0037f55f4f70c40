/**
 * Admin routes backed by the monitor's state in Redis: drift reports, baselines, shadow
 * reports. Mounted by the admin app under /admin. (Filled in by the drift-monitor work.)
 */
import { Hono } from 'hono';
import type { AdminDeps } from '../deps.ts';

export function monitorRoutes(deps: AdminDeps): Hono {
  void deps;
  return new Hono();
}
