/**
 * The OpenAPI 3.1 document of modelgate: the admin API (this port, bearer tokens) and the
 * data plane (its own port, no token). Built once from the config when the admin app is
 * created, served at `GET /admin/openapi.json` without a token.
 *
 * Hand-written paths rather than generated from the hono routes: the routes carry no schemas
 * (their bodies are validated by zod schemas and hand-written checks), so a generator would
 * have had little to read; request bodies that a zod schema validates are generated from it
 * (schemas.ts), and test/openapi.test.ts checks that the admin app and this document list the
 * same calls, both ways, and lints the served document with @redocly/cli.
 */
import { readFileSync } from 'node:fs';
import type { FileConfig } from '../../config/schema.ts';
import { adminPaths } from './admin-paths.ts';
import { dataPlanePaths } from './data-plane-paths.ts';
import { componentSchemas } from './schemas.ts';

export const OPENAPI_PATH = '/admin/openapi.json';

function packageVersion(): string {
  try {
    return String(JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version);
  } catch {
    return '0.0.0';
  }
}

/** a listen address as a client dials it: a wildcard host becomes loopback */
const dialHost = (host: string) => (host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host);

const TAGS: Array<[string, string]> = [
  ['routes', 'The live route config: read, create, replace, weights, shadows, re-randomise (versioned: ETag / If-Match)'],
  ['inspect', 'Questions that change nothing: dry-run a weight change, explain where a unit lands'],
  ['history', 'Config versions, restore, audit trail'],
  ['replicas', 'Gateway replicas and the config version each applied'],
  ['stats', 'Live traffic from this replica (the console reads these)'],
  ['drift', 'Drift reports and baselines (the monitor)'],
  ['canary', 'Canary plans, stepped by the monitor'],
  ['shadows', 'Shadow comparison reports (the monitor)'],
  ['experiments', 'A/B experiments on business outcomes'],
  ['performance', 'Model quality from delayed labels (the monitor)'],
  ['meta', 'This document'],
  ['predict', 'Predictions (data plane)'],
  ['models', 'Model metadata and readiness, from the assigned backend (data plane)'],
  ['openai', 'OpenAI-compatible routes (data plane)'],
  ['outcomes', 'Business outcomes (data plane)'],
  ['health', 'Liveness and readiness (data plane)'],
  ['metrics', 'Prometheus metrics (data plane)'],
];

export function openApiDocument(cfg: Pick<FileConfig, 'listen'>): Record<string, unknown> {
  const dataServer = {
    url: 'http://{host}:{port}',
    description: 'the data plane (listen.host, listen.port)',
    variables: { host: { default: dialHost(cfg.listen.host) }, port: { default: String(cfg.listen.port) } },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'modelgate',
      version: packageVersion(),
      summary: 'Model-serving gateway: sticky splits, canaries, shadows, prediction log, drift monitoring',
      description:
        'The admin API (this port; `Authorization: Bearer TOKEN` on every call but this document) and the data plane (its own port, no token). ' +
        'Every error is `{"error": {"code", "message", "request_id"?}}` with a stable code (docs/errors.md). ' +
        'Config reads return the config version as a strong ETag; writes need `If-Match` with it.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'the admin API, where this document was fetched (admin.host, admin.port)' }],
    security: [{ bearerAuth: [] }],
    tags: TAGS.map(([name, description]) => ({ name, description })),
    paths: { ...adminPaths(), ...dataPlanePaths(dataServer) },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'an admin token (MODELGATE_ADMIN_TOKENS or admin.tokens_file)' } },
      schemas: componentSchemas(),
    },
  };
}
