/** Admin routes for canarys (filled in by the canary work). Mounted under /admin. */
import { Hono } from 'hono';
import type { AdminDeps } from '../deps.ts';

export function canaryRoutes(deps: AdminDeps): Hono {
  void deps;
  return new Hono();
}
