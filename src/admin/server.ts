/**
 * Starts the admin API on its own port. (Filled in by the control-plane work; until then the
 * admin port is not opened.)
 */
import type { AdminDeps } from './deps.ts';

export interface AdminServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startAdminServer(deps: AdminDeps, host: string, port: number): Promise<AdminServer | undefined> {
  void deps;
  void host;
  void port;
  return undefined;
}
