/** Admin routes for experiments (filled in by the experiment work). Mounted under /admin. */
import { Hono } from 'hono';
import type { AdminDeps } from '../deps.ts';

export function experimentRoutes(deps: AdminDeps): Hono {
  void deps;
  return new Hono();
}
