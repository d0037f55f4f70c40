/**
 * The admin hono app (its own port; never mounted on the data plane): body limit, store-mode
 * header, bearer auth, then the config, inspection, history, replica and monitor routes, all
 * under /admin. Every error is the JSON shape of DESIGN.md.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { backendPolicy } from './allow-backends.ts';
import type { AdminDeps } from './deps.ts';
import type { AdminEnv } from './env.ts';
import { FailureLimiter } from './failure-limiter.ts';
import { bearerAuth } from './middleware/bearer-auth.ts';
import { storeModeHeader } from './middleware/store-mode.ts';
import { adminErrorHandler, sendError } from './respond.ts';
import { configRoutes } from './routes/config-routes.ts';
import { historyRoutes } from './routes/history-routes.ts';
import { inspectRoutes } from './routes/inspect-routes.ts';
import { driftRoutes } from '../monitor/drift/drift-routes.ts';
import { performanceRoutes } from '../monitor/performance/performance-routes.ts';
import { replicaRoutes } from './routes/replica-routes.ts';
import { canaryRoutes } from '../monitor/canary/canary-routes.ts';
import { experimentRoutes } from '../monitor/experiments/experiment-routes.ts';
import { ownRegistry, statsRoutes } from './routes/stats-routes.ts';
import { consoleStatic } from './console-static.ts';
import { loadTokens } from './tokens.ts';
import { OPENAPI_PATH, openApiDocument } from './openapi/document.ts';

export interface AdminAppOptions {
  env?: NodeJS.ProcessEnv;
  limiter?: FailureLimiter;
  maxBodyBytes?: number;
}

export function createAdminApp(deps: AdminDeps, o: AdminAppOptions = {}): Hono<AdminEnv> {
  const { logger, cfg, store } = deps;
  const { tokens, problems: tokenProblems } = loadTokens(o.env ?? process.env, cfg.admin.tokens_file);
  for (const p of tokenProblems) logger.warn({ source: p.source }, `admin tokens: ${p.message}`);
  if (!tokens.names.length) logger.warn('admin API has no tokens (set MODELGATE_ADMIN_TOKENS=name:token or admin.tokens_file): every call answers 401');
  const { policy, problems } = backendPolicy(cfg.admin.allow_backends);
  for (const p of problems) logger.warn({ path: p.path }, `admin allow_backends: ${p.message} (ignored)`);
  if (store.mode === 'memory') logger.warn('admin API without redis: changes stay in this process, in memory');

  const ctx = { deps, policy };
  const app = new Hono<AdminEnv>();
  app.onError(adminErrorHandler(logger));
  app.notFound((c) => sendError(c, 'NOT_FOUND', `no admin call ${c.req.method} ${c.req.path}`));
  app.route('/ui', consoleStatic()); // the console page: no token (its API calls carry one)
  app.use('*', storeModeHeader(store));
  app.use('*', bodyLimit({ maxSize: o.maxBodyBytes ?? 1_048_576, onError: (c) => sendError(c, 'PAYLOAD_TOO_LARGE', 'admin request bodies are limited to 1 MiB') }));
  // the API description is public (before auth): a newcomer fetches it with a plain GET
  const openapi = JSON.stringify(openApiDocument(cfg));
  app.get(OPENAPI_PATH, (c) => c.body(openapi, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' }));
  app.use('*', bearerAuth({ tokens, logger, limiter: o.limiter }));
  app.use('*', methodNotAllowed({ app, onMethodNotAllowed: (c, methods) => (c.header('Allow', methods.join(', ')), sendError(c, 'METHOD_NOT_ALLOWED', `${c.req.method} is not allowed here; use ${methods.join(', ')}`)) }));

  const admin = new Hono<AdminEnv>();
  admin.route('/', configRoutes(ctx));
  admin.route('/', inspectRoutes(ctx));
  admin.route('/', historyRoutes(ctx));
  admin.route('/', replicaRoutes(ctx));
  admin.route('/', driftRoutes(deps) as unknown as Hono<AdminEnv>);
  admin.route('/', canaryRoutes(deps) as unknown as Hono<AdminEnv>);
  admin.route('/', experimentRoutes(deps) as unknown as Hono<AdminEnv>);
  admin.route('/', performanceRoutes(deps));
  admin.route('/', statsRoutes(ctx, deps.trafficRegistry ?? (deps.registry ? ownRegistry(deps.registry) : undefined)));
  app.route('/admin', admin);
  return app;
}
