/** The start-up warning when the config file's routes differ from the config Redis holds. */
import type { Logger } from '../telemetry/logger.ts';
import type { RouteConfig } from './schema.ts';
import type { ConfigSnapshot } from './snapshot.ts';
import { describeDifferences, differingRoutes } from './file-vs-redis.ts';

export function warnIfFileDiffers(logger: Logger, fileRoutes: Record<string, RouteConfig>, stored: ConfigSnapshot): void {
  const diff = differingRoutes(fileRoutes, stored.routes);
  if (!diff.length) return;
  logger.warn(
    { routes: diff.map((d) => d.route), differences: diff, redisVersion: stored.version },
    `the config file's routes differ from the config in Redis (version ${stored.version}), which is served: ${describeDifferences(diff)}. ` +
      'Route edits in the file are not applied while Redis holds a config: change routes with `modelgate ctl` (or PUT /admin/routes/<name>)',
  );
}
