/**
 * The data plane's paths (its own port, no token): predictions, outcomes, health, metrics,
 * and the protocol paths of DESIGN.md "Protocols over HTTP" (Open Inference Protocol V2,
 * KServe V1 extras, OpenAI-compatible). Prediction answers are the backend's, passed through.
 */
import type { ErrorCode } from '../../errors.ts';
import { json, modelParam, operation, versionParam, type Json, type OperationSpec } from './operations.ts';
import { ref } from './schemas.ts';

/** Node's HTTP parser answers these for any path (client-error hook), JSON too */
const PARSER: readonly ErrorCode[] = ['BAD_REQUEST', 'REQUEST_TIMEOUT', 'HEADERS_TOO_LARGE'];
const ROUTED: readonly ErrorCode[] = ['MODEL_NOT_FOUND', 'METHOD_NOT_ALLOWED', 'UNKNOWN_VARIANT', 'OVER_CAPACITY', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_BAD_RESPONSE', 'UPSTREAM_TIMEOUT', 'INTERNAL'];
const PREDICTION: readonly ErrorCode[] = [...ROUTED, 'INVALID_JSON', 'MISSING_UNIT', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];

const str = { type: 'string' };
const answerHeaders = {
  'x-request-id': { description: 'the request id (the client\'s, or a new one); also `rid` in the prediction log', schema: str },
  'x-model-variant': { description: 'the variant that answered', schema: str },
  'x-model-version': { description: "that variant's version label", schema: str },
};
const answer = (description: string) => ({ '200': { description, headers: answerHeaders, content: { 'application/json': { schema: ref('ModelAnswer') }, 'text/event-stream': { schema: { type: 'string' } } } } });
const unitNote =
  'The route is the one listing the model in `models`; the variant is chosen from the unit id the route reads (`unit`: a header, cookie, query parameter or JSON body field), or forced with the route\'s `override_header`. The backend\'s answer (any status) is passed through with the headers below.';

const predict = (id: string, summary: string, body: Json, params: Json[] = [modelParam]): OperationSpec => ({ id, summary, tag: 'predict', description: unitNote, params, body: { schema: body }, ok: answer("the backend's answer"), errors: PREDICTION, open: true });
const lookup = (id: string, summary: string, params: Json[] = [modelParam]): OperationSpec => ({
  id,
  summary,
  tag: 'models',
  description: 'Answered by the backend of the variant the unit is assigned to (without a unit, the highest-weight variant); not logged as a prediction.',
  params,
  ok: answer("the backend's answer"),
  errors: ROUTED,
  open: true,
});

const SPECS: Record<string, Record<string, OperationSpec>> = {
  '/v1/models/{model}:predict': { post: predict('predictV1', 'KServe V1 prediction', ref('V1Request')) },
  '/v1/models/{model}:explain': { post: predict('explainV1', 'KServe V1 explanation (routed like predict)', ref('V1Request')) },
  '/v1/models/{model}': { get: lookup('readyV1', 'KServe V1 model readiness') },
  '/v2/models/{model}/infer': { post: predict('inferV2', 'Open Inference Protocol V2 inference', ref('V2Request')) },
  '/v2/models/{model}/versions/{version}/infer': { post: predict('inferV2Version', 'V2 inference of a model version (the version reaches the backend)', ref('V2Request'), [modelParam, versionParam]) },
  '/v2/models/{model}': { get: lookup('metadataV2', 'V2 model metadata') },
  '/v2/models/{model}/versions/{version}': { get: lookup('metadataV2Version', 'V2 model metadata of a version', [modelParam, versionParam]) },
  '/v2/models/{model}/ready': { get: lookup('readyV2', 'V2 model readiness') },
  '/v2/models/{model}/versions/{version}/ready': { get: lookup('readyV2Version', 'V2 model readiness of a version', [modelParam, versionParam]) },
  '/v1/chat/completions': { post: { ...predict('chatCompletions', 'OpenAI-compatible chat completion (route from the body\'s `model`)', { type: 'object', required: ['model'], properties: { model: str, stream: { type: 'boolean' } } }, []), tag: 'openai' } },
  '/v1/completions': { post: { ...predict('completions', 'OpenAI-compatible completion (route from the body\'s `model`)', { type: 'object', required: ['model'], properties: { model: str, stream: { type: 'boolean' } } }, []), tag: 'openai' } },
  '/v1/embeddings': { post: { ...predict('embeddings', 'OpenAI-compatible embeddings (route from the body\'s `model`)', { type: 'object', required: ['model'], properties: { model: str } }, []), tag: 'openai' } },
  '/v1/outcomes': {
    post: {
      id: 'postOutcomes',
      summary: 'Report business outcomes (one, or a batch) joined to predictions',
      tag: 'outcomes',
      body: { schema: { oneOf: [ref('Outcome'), ref('OutcomeBatch')] } },
      ok: { '202': json(ref('OutcomeResult'), 'accepted') },
      errors: ['INVALID_JSON', 'INVALID_OUTCOME', 'PAYLOAD_TOO_LARGE', 'METHOD_NOT_ALLOWED', 'OVER_CAPACITY', 'NOT_READY'],
      open: true,
    },
  },
  '/v2/health/live': { get: { id: 'liveV2', summary: 'V2 server liveness', tag: 'health', ok: { '200': json({ type: 'object', properties: { live: { type: 'boolean' } } }) }, open: true } },
  '/v2/health/ready': { get: { id: 'readyServerV2', summary: 'V2 server readiness (as /readyz)', tag: 'health', ok: { '200': json({ type: 'object', properties: { ready: { type: 'boolean' } } }) }, errors: ['NOT_READY'], open: true } },
  '/v2': { get: { id: 'serverMetadataV2', summary: 'V2 server metadata: name, version, extensions', tag: 'health', ok: { '200': json({ type: 'object', properties: { name: str, version: str, extensions: { type: 'array', items: str } } }) }, open: true } },
  '/healthz': { get: { id: 'healthz', summary: 'Liveness: 200 whenever the process serves', tag: 'health', ok: { '200': json({ type: 'object', properties: { status: { type: 'string', const: 'ok' } } }) }, open: true } },
  '/readyz': { get: { id: 'readyz', summary: 'Readiness of each dependency (503 only when the process cannot serve)', tag: 'health', ok: { '200': json(ref('Ready')), '503': json(ref('Ready'), 'cannot serve (draining, or no config)') }, open: true } },
  '/metrics': { get: { id: 'metrics', summary: 'Prometheus metrics (docs/metrics.md)', tag: 'metrics', ok: { '200': { description: 'Prometheus text exposition', content: { 'text/plain': { schema: str } } } }, open: true } },
};

/** the data plane's paths; `server` is the data plane's URL (its own port) */
export function dataPlanePaths(server: Json): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [path, methods] of Object.entries(SPECS)) {
    const item: Json = { servers: [server] };
    for (const [method, spec] of Object.entries(methods)) item[method] = operation(spec, PARSER);
    out[path] = item;
  }
  return out;
}
