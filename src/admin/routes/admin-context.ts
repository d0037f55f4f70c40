/** What the admin route modules share: the deps and the backend allow-list. */
import type { AdminDeps } from '../deps.ts';
import type { BackendPolicy } from '../allow-backends.ts';

export interface AdminContext {
  deps: AdminDeps;
  policy: BackendPolicy;
}
