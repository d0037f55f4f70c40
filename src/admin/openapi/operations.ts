/**
 * Small builders for OpenAPI operations (pure): the JSON error responses of a list of error
 * codes (grouped by status, from src/errors.ts), the config-version headers, a JSON body.
 */
import { ERROR_CODES, type ErrorCode } from '../../errors.ts';
import { ref } from './schemas.ts';

export type Json = Record<string, unknown>;

export const json = (schema: Json, description = 'JSON') => ({ description, content: { 'application/json': { schema } } });

/** responses for error codes, one per status, each naming its codes */
export function errors(codes: readonly ErrorCode[]): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) {
    const s = ERROR_CODES[c].status;
    byStatus.set(s, [...(byStatus.get(s) ?? []), c]);
  }
  const out: Record<string, Json> = {};
  for (const [status, cs] of [...byStatus].sort((a, b) => a[0] - b[0])) out[String(status)] = json(ref('Error'), cs.map((c) => `\`${c}\`: ${ERROR_CODES[c].message}`).join('; '));
  return out;
}

/** every admin call can answer these (auth, repeated failures, oversized or unroutable bodies) */
export const ADMIN_ERRORS: readonly ErrorCode[] = ['UNAUTHORIZED', 'TOO_MANY_REQUESTS', 'PAYLOAD_TOO_LARGE', 'INTERNAL'];

export const etagHeader = { ETag: { description: 'the config version, as a strong ETag: `"<version>"`', schema: { type: 'string', pattern: '^"\\d+"$' } } };

export const ifMatch = (required: boolean): Json => ({
  name: 'If-Match',
  in: 'header',
  required,
  description: required ? 'the ETag of the config version the change is based on (428 without, 412 if stale; `*` is refused)' : 'optional: when sent, the change is a compare-and-set on this config version (412 if stale)',
  schema: { type: 'string', pattern: '^"\\d+"$' },
});

export const routeParam: Json = { name: 'route', in: 'path', required: true, description: 'the route name', schema: { type: 'string' } };
export const modelParam: Json = { name: 'model', in: 'path', required: true, description: 'a model name of a route (`routes.<r>.models`)', schema: { type: 'string' } };
export const versionParam: Json = { name: 'version', in: 'path', required: true, description: 'the model version, passed to the backend', schema: { type: 'string' } };

export interface OperationSpec {
  id: string;
  summary: string;
  tag: string;
  description?: string;
  params?: Json[];
  body?: { schema: Json; required?: boolean; description?: string };
  ok: Record<string, Json>;
  errors?: readonly ErrorCode[];
  /** no bearer token (security: []) */
  open?: boolean;
}

export function operation(o: OperationSpec, baseErrors: readonly ErrorCode[]): Json {
  const op: Json = { operationId: o.id, summary: o.summary, tags: [o.tag] };
  if (o.description) op.description = o.description;
  if (o.params?.length) op.parameters = o.params;
  if (o.body) op.requestBody = { required: o.body.required ?? true, ...(o.body.description ? { description: o.body.description } : {}), content: { 'application/json': { schema: o.body.schema } } };
  op.responses = { ...o.ok, ...errors([...new Set([...baseErrors, ...(o.errors ?? [])])]) };
  if (o.open) op.security = [];
  return op;
}
