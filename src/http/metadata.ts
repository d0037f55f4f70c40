/**
 * Model metadata and readiness (OIP `GET /v2/models/{m}[/versions/{v}][/ready]`, KServe V1
 * `GET /v1/models/{m}`): answered by the backend of the variant the unit is assigned to (the
 * same split as inference; without a unit, the highest-weight variant), with
 * `x-model-variant`. Lookups are not predictions: not logged, not counted as requests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompiledRoute, CompiledVariant } from '../routing/compile.ts';
import { select } from '../routing/select.ts';
import { readClientHeaders, requestIdFor, responseHeaders } from '../upstream/headers.ts';
import { send } from '../upstream/send.ts';
import { upstreamPath, type RoutedPath } from './paths.ts';
import type { PredictHandler } from './predict.ts';
import { sendError } from './respond.ts';

/** The variant a unit-less lookup goes to: the highest weight, first on ties. */
export function heaviest(route: CompiledRoute): CompiledVariant {
  let best = route.variants[0];
  for (const v of route.variants) if (v.bp > best.bp) best = v;
  return best;
}

export async function lookup(handler: PredictHandler, req: IncomingMessage, res: ServerResponse, path: RoutedPath): Promise<void> {
  if (req.method !== 'GET') return handler.reject(res, 'METHOD_NOT_ALLOWED', undefined, false, ['allow', 'GET']);
  const route = handler.deps.store.current().byModel.get(path.model);
  if (!route) return handler.reject(res, 'MODEL_NOT_FOUND');
  const rt = handler.runtime(route);
  const h = readClientHeaders(req.rawHeaders, handler.wanted(rt));
  const rid = requestIdFor(h.requestId);
  if (h.hostCount > 1) return handler.reject(res, 'BAD_REQUEST', rid, true);
  const unit = rt.unitFromBody ? null : rt.unit({ header: (n) => h.wanted.get(n), query: path.query, body: undefined });
  let forced: CompiledVariant | null = null;
  const name = rt.overrideHeader ? h.wanted.get(rt.overrideHeader) : undefined;
  if (name !== undefined && name !== '') {
    const v = route.variantByName.get(name.trim());
    if (!v) return handler.reject(res, 'UNKNOWN_VARIANT', rid);
    forced = v;
  }
  const variant = forced ?? (unit === null ? heaviest(route) : select(route, unit, null, 0).variant);
  if (variant.backend.protocol === 'grpc:') return handler.reject(res, 'PROTOCOL_MISMATCH', rid, false, ['x-model-variant', variant.name, 'x-model-version', variant.version]);
  const headers = h.forward;
  headers.push('x-request-id', rid);
  const r = await send({ backend: rt.variantBackends[variant.index], method: 'GET', path: upstreamPath(path, variant.model ?? path.model), headers, body: EMPTY, timeoutMs: rt.timeoutMs, maxResponseBytes: rt.maxResponseBytes });
  if (res.destroyed) return;
  const tags = ['x-model-variant', variant.name, 'x-model-version', variant.version];
  if (!r.ok) {
    handler.deps.events.upstreamError(route, variant.index, r.failure.reason);
    return sendError(res, r.failure.code, rid, tags, false, r.failure.message);
  }
  const out = responseHeaders(r.headers);
  out.push('content-length', String(r.body.length), 'x-request-id', rid, ...tags);
  res.writeHead(r.status, out);
  res.end(r.body);
}

const EMPTY = Buffer.alloc(0);
