/**
 * Starts the admin API on its own port (default 127.0.0.1:8081), apart from the data plane,
 * so no data-plane path, however encoded, can reach it.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createAdminApp, type AdminAppOptions } from './app.ts';
import type { AdminDeps } from './deps.ts';

export interface AdminServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startAdminServer(deps: AdminDeps, host: string, port: number, options: AdminAppOptions = {}): Promise<AdminServer | undefined> {
  if (deps.cfg.admin.enabled === false) {
    deps.logger.info('admin API disabled (admin.enabled: false)');
    return undefined;
  }
  const app = createAdminApp(deps, options);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
    s.once('error', reject);
  });
  const bound = (server.address() as AddressInfo).port;
  deps.logger.info({ host, port: bound, store: deps.store.mode }, 'admin API listening');
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
