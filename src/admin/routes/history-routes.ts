/** Config history, restoring an earlier version (as a new version), and the audit trail. */
import { Hono } from 'hono';
import { ModelgateError, InvalidChange } from '../../errors.ts';
import { wasUnchanged } from '../../config/store.ts';
import { snapshotBackendProblems } from '../checks.ts';
import type { AdminEnv } from '../env.ts';
import { expectedVersion } from '../preconditions.ts';
import { redact } from '../redact.ts';
import { sendJson } from '../respond.ts';
import type { AdminContext } from './admin-context.ts';

export function limitOf(q: string | undefined, fallback = 100, max = 1000): number {
  const n = q === undefined ? fallback : Number(q);
  if (!Number.isInteger(n) || n < 1) throw new ModelgateError('BAD_REQUEST', 'limit must be a positive integer');
  return Math.min(n, max);
}

export function historyRoutes({ deps, policy }: AdminContext): Hono<AdminEnv> {
  const { store } = deps;
  const app = new Hono<AdminEnv>();

  app.get('/history', async (c) => {
    const version = store.current().version;
    return sendJson(c, store, { version, history: await store.history(limitOf(c.req.query('limit'))) }, 200, version);
  });

  app.post('/history/:version/restore', async (c) => {
    const target = Number(c.req.param('version'));
    if (!Number.isInteger(target) || target < 1) throw new ModelgateError('BAD_REQUEST', 'the version to restore is a positive integer');
    const expected = expectedVersion(c.req.header('if-match'), store.current().version);
    const old = await store.snapshotAt(target);
    if (!old) throw new ModelgateError('NOT_FOUND', `version ${target} is not in the kept history`);
    const problems = snapshotBackendProblems(old, policy);
    if (problems.length) throw new InvalidChange(problems);
    const actor = c.get('actor');
    let before: { version: number } | undefined;
    const next = await store.update(expected, (cur) => ((before = cur), { version: cur.version + 1, routes: old.routes, slots: old.slots }), { actor, action: `restore:${target}` });
    const changed = !wasUnchanged(before, next);
    deps.logger.info({ actor, restored: target, version: next.version, changed }, changed ? 'config restored' : 'restore changed nothing: the config already equals that version');
    return sendJson(c, store, { version: next.version, restored: target, changed, routes: Object.keys(next.routes) }, 200, next.version);
  });

  app.get('/audit', async (c) => {
    const version = store.current().version;
    const entries = (await store.audit(limitOf(c.req.query('limit')))).map((e) => redact(e));
    return sendJson(c, store, { version, entries }, 200, version);
  });

  return app;
}
