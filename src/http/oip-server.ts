/**
 * The Open Inference Protocol V2 server-level routes on the data plane: liveness, readiness
 * (whatever `/readyz` says, so drain and dependency rules live in one place) and server
 * metadata. Model-level paths are routed to backends (src/http/metadata.ts).
 */
import type { Hono } from 'hono';
import { packageVersion } from '../gateway/version.ts';

/** OIP extensions the gateway passes through */
export const OIP_EXTENSIONS = ['binary_tensor_data'];

export function mountOipServer(app: Hono): void {
  app.get('/v2/health/live', (c) => c.json({ live: true }));
  app.get('/v2/health/ready', async (c) => {
    const r = await app.fetch(new Request('http://local/readyz'));
    const ready = r.status === 200;
    return c.json({ ready }, ready ? 200 : 503);
  });
  const meta = (c: { json: (b: unknown) => Response }) => c.json({ name: 'modelgate', version: packageVersion(), extensions: OIP_EXTENSIONS });
  app.get('/v2', meta);
  app.get('/v2/', meta);
}
