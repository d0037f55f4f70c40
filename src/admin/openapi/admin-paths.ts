/**
 * The admin API's paths (DESIGN.md "Admin API"), written by hand beside the hono routes in
 * src/admin/routes/ and the analyses' own *-routes.ts under src/monitor/; test/openapi.test.ts checks that the two list the same calls.
 */
import { etagHeader, ifMatch, json, operation, routeParam, ADMIN_ERRORS, type Json, type OperationSpec } from './operations.ts';
import { ref } from './schemas.ts';

const withEtag = (schema: Json, description = 'JSON, with the config version as ETag') => ({ ...json(schema, description), headers: etagHeader });
const ok = (schema: Json, status = '200', description?: string) => ({ [status]: withEtag(schema, description) });
const plain = (schema: Json, status = '200', description = 'JSON') => ({ [status]: json(schema, description) });
const WRITE = ['INVALID_CONFIG', 'PRECONDITION_FAILED', 'PRECONDITION_REQUIRED', 'CONFIG_STORE_UNAVAILABLE', 'INVALID_JSON', 'BAD_REQUEST'] as const;
const CAS = ['PRECONDITION_FAILED', 'CONFIG_STORE_UNAVAILABLE'] as const;
const r = (rest = '') => `/admin/routes/{route}${rest}`;
const limit: Json = { name: 'limit', in: 'query', required: false, description: 'at most this many (default 100, max 1000)', schema: { type: 'integer', minimum: 1, maximum: 1000 } };

/** path -> method -> operation spec */
const SPECS: Record<string, Record<string, OperationSpec>> = {
  '/admin/openapi.json': {
    get: { id: 'getOpenApi', summary: 'This document (no token needed)', tag: 'meta', open: true, ok: plain({ type: 'object' }, '200', 'the OpenAPI 3.1 document'), errors: ['PAYLOAD_TOO_LARGE'] },
  },
  '/admin/routes': {
    get: { id: 'listRoutes', summary: 'Every route of the live config (secrets redacted)', tag: 'routes', ok: ok(ref('RouteList')) },
  },
  [r()]: {
    get: { id: 'getRoute', summary: 'One route of the live config', tag: 'routes', params: [routeParam], ok: ok(ref('RouteView')), errors: ['ROUTE_NOT_FOUND'] },
    put: {
      id: 'putRoute',
      summary: 'Create or replace a route',
      tag: 'routes',
      description: 'The body is a route as in the config file (a GET answer sent back as is is accepted too). 201 when the route is new.',
      params: [routeParam, ifMatch(true)],
      body: { schema: ref('RouteConfig') },
      ok: { ...ok(ref('RouteView')), ...ok(ref('RouteView'), '201', 'the new route') },
      errors: [...WRITE],
    },
    delete: { id: 'deleteRoute', summary: 'Delete a route', tag: 'routes', params: [routeParam, ifMatch(true)], ok: ok(ref('RouteDeleted')), errors: ['ROUTE_NOT_FOUND', 'PRECONDITION_REQUIRED', ...CAS] },
  },
  [r('/weights')]: {
    patch: { id: 'setWeights', summary: 'Change weights (every variant, percent, summing to 100)', tag: 'routes', params: [routeParam, ifMatch(true)], body: { schema: ref('Weights') }, ok: ok(ref('RouteView')), errors: ['ROUTE_NOT_FOUND', ...WRITE] },
  },
  [r('/shadows')]: {
    put: { id: 'putShadows', summary: 'Replace the shadow list (an empty list removes them all)', tag: 'routes', params: [routeParam, ifMatch(true)], body: { schema: ref('ShadowList') }, ok: ok(ref('RouteView')), errors: ['ROUTE_NOT_FOUND', ...WRITE] },
  },
  [r('/rerandomize')]: {
    post: { id: 'rerandomize', summary: 'New salt, fresh slot table', tag: 'routes', params: [routeParam, ifMatch(true)], body: { schema: ref('Rerandomize'), required: false }, ok: ok(ref('RouteView')), errors: ['ROUTE_NOT_FOUND', ...WRITE] },
  },
  [r('/dry-run')]: {
    post: { id: 'dryRunWeights', summary: 'Share of units a weight change would move, per pair (changes nothing)', tag: 'inspect', params: [routeParam], body: { schema: ref('Weights') }, ok: ok(ref('DryRun')), errors: ['ROUTE_NOT_FOUND', 'INVALID_CONFIG', 'INVALID_JSON'] },
  },
  [r('/explain')]: {
    get: {
      id: 'explainUnit',
      summary: 'Bucket, slot, variant and shadows of a unit',
      tag: 'inspect',
      params: [routeParam, { name: 'unit', in: 'query', required: true, description: 'the unit id (UTF-8, URL-encoded)', schema: { type: 'string', minLength: 1 } }],
      ok: ok(ref('Explain')),
      errors: ['ROUTE_NOT_FOUND', 'BAD_REQUEST'],
    },
  },
  '/admin/history': {
    get: { id: 'listHistory', summary: 'Config versions kept', tag: 'history', params: [limit], ok: ok(ref('History')), errors: ['BAD_REQUEST', 'CONFIG_STORE_UNAVAILABLE'] },
  },
  '/admin/history/{version}/restore': {
    post: {
      id: 'restoreVersion',
      summary: 'Restore an earlier version (as a new version)',
      tag: 'history',
      params: [{ name: 'version', in: 'path', required: true, description: 'the version to restore', schema: { type: 'integer', minimum: 1 } }, ifMatch(true)],
      ok: ok(ref('Restored')),
      errors: ['BAD_REQUEST', 'NOT_FOUND', 'INVALID_CONFIG', 'PRECONDITION_REQUIRED', ...CAS],
    },
  },
  '/admin/audit': {
    get: { id: 'listAudit', summary: 'Who (token name), when, what changed', tag: 'history', params: [limit], ok: ok(ref('Audit')), errors: ['BAD_REQUEST', 'CONFIG_STORE_UNAVAILABLE'] },
  },
  '/admin/replicas': {
    get: { id: 'listReplicas', summary: 'Replica ids, applied config version, last heartbeat', tag: 'replicas', ok: ok(ref('Replicas')), errors: ['CONFIG_STORE_UNAVAILABLE'] },
  },
  '/admin/stats': {
    get: { id: 'getStats', summary: "Live traffic per route and variant from this replica's counters (rates over the last 30 s)", tag: 'stats', ok: ok(ref('Stats')), errors: ['NOT_READY'] },
  },
  [r('/stats')]: {
    get: { id: 'getRouteStats', summary: 'Live traffic of one route, per variant', tag: 'stats', params: [routeParam], ok: ok(ref('RouteStats')), errors: ['ROUTE_NOT_FOUND', 'NOT_READY'] },
  },
  [r('/drift')]: {
    get: { id: 'getDrift', summary: 'Latest drift report (200 with insufficient_data before the first)', tag: 'drift', params: [routeParam], ok: plain(ref('DriftReport')), errors: ['ROUTE_NOT_FOUND', 'NOT_READY'] },
  },
  [r('/drift/history')]: {
    get: {
      id: 'getDriftHistory',
      summary: "The last windows' drift statistics per variant and shadow, oldest first (capped at monitor.drift_history_windows per route)",
      tag: 'drift',
      params: [
        routeParam,
        { name: 'role', in: 'query', required: false, description: 'only live variants or only shadows', schema: { type: 'string', enum: ['live', 'shadow'] } },
        { name: 'variant', in: 'query', required: false, description: 'only this variant or shadow', schema: { type: 'string' } },
        { name: 'limit', in: 'query', required: false, description: 'the newest this many windows that match', schema: { type: 'integer', minimum: 1 } },
      ],
      ok: plain(ref('DriftHistory')),
      errors: ['ROUTE_NOT_FOUND', 'NOT_READY', 'BAD_REQUEST'],
    },
  },
  [r('/baseline')]: {
    get: { id: 'getBaselines', summary: 'Baseline versions and variants (no samples)', tag: 'drift', params: [routeParam], ok: plain(ref('Baselines')), errors: ['ROUTE_NOT_FOUND', 'NOT_READY'] },
    put: {
      id: 'putBaseline',
      summary: 'Upload a variant baseline (from `modelgate baseline build`)',
      tag: 'drift',
      description: 'Baselines have their own version counter per route; this write does not take the config If-Match.',
      params: [
        routeParam,
        { name: 'variant', in: 'query', required: false, description: "overrides the baseline's variant", schema: { type: 'string' } },
        { name: 'default', in: 'query', required: false, description: 'true: also the default reference of variants without their own', schema: { type: 'string', enum: ['true', 'false'] } },
      ],
      body: { schema: ref('Baseline') },
      ok: plain(ref('BaselineStored')),
      errors: ['ROUTE_NOT_FOUND', 'NOT_READY', 'INVALID_JSON', 'BAD_REQUEST'],
    },
  },
  [r('/baseline/capture')]: {
    post: { id: 'captureBaseline', summary: "Take the next N live entries of a variant as its baseline", tag: 'drift', params: [routeParam], body: { schema: ref('CaptureRequest') }, ok: plain(ref('CaptureStarted'), '202', 'capture requested'), errors: ['ROUTE_NOT_FOUND', 'NOT_READY', 'INVALID_JSON', 'BAD_REQUEST'] },
  },
  [r('/canary')]: {
    get: { id: 'getCanary', summary: 'The canary plan and its state', tag: 'canary', params: [routeParam], ok: ok(ref('Canary')), errors: ['ROUTE_NOT_FOUND', 'NOT_FOUND', 'NOT_READY'] },
    post: { id: 'startCanary', summary: 'Start a canary plan (applies its first step at once)', tag: 'canary', params: [routeParam, ifMatch(false)], body: { schema: ref('CanaryPlan') }, ok: ok(ref('Canary'), '201', 'the plan, started'), errors: ['ROUTE_NOT_FOUND', 'NOT_READY', 'CONFLICT', 'INVALID_CONFIG', 'INVALID_JSON', ...CAS] },
    delete: { id: 'deleteCanary', summary: 'Forget the plan (weights stay as they are)', tag: 'canary', params: [routeParam], ok: ok(ref('CanaryDeleted')), errors: ['NOT_FOUND', 'NOT_READY', 'CONFLICT'] },
  },
  [r('/canary/{op}')]: {
    post: {
      id: 'canaryOperation',
      summary: 'Pause, resume, promote or abort the canary',
      tag: 'canary',
      params: [routeParam, { name: 'op', in: 'path', required: true, schema: { type: 'string', enum: ['pause', 'resume', 'promote', 'abort'] } }, ifMatch(false)],
      ok: ok(ref('Canary')),
      errors: ['ROUTE_NOT_FOUND', 'NOT_FOUND', 'NOT_READY', 'CONFLICT', ...CAS],
    },
  },
  [r('/shadows/report')]: {
    get: { id: 'getShadowReport', summary: 'Shadow agreement, deltas, latency and errors', tag: 'shadows', params: [routeParam], ok: ok(ref('ShadowReport')), errors: ['ROUTE_NOT_FOUND', 'NOT_READY'] },
  },
  [r('/performance')]: {
    get: { id: 'getPerformance', summary: 'Model quality from delayed labels, per variant and shadow and per window (200 with insufficient_data before the first label)', tag: 'performance', params: [routeParam], ok: plain(ref('PerformanceReport')), errors: ['ROUTE_NOT_FOUND', 'NOT_READY'] },
  },
  [r('/experiment')]: {
    get: { id: 'getExperiment', summary: 'Experiment plan, status, verdict and live results', tag: 'experiments', params: [routeParam], ok: plain(ref('Experiment')), errors: ['ROUTE_NOT_FOUND', 'NOT_FOUND', 'NOT_READY'] },
    post: { id: 'startExperiment', summary: 'Start an A/B experiment (409 while one runs)', tag: 'experiments', params: [routeParam, ifMatch(false)], body: { schema: ref('ExperimentPlan') }, ok: ok(ref('Experiment'), '201', 'the experiment, started'), errors: ['ROUTE_NOT_FOUND', 'NOT_READY', 'CONFLICT', 'BAD_REQUEST', 'INVALID_JSON', 'PRECONDITION_FAILED'] },
    delete: { id: 'stopExperiment', summary: 'Stop the running experiment (results stay); with none running, a no-op (changed: false). purge=true deletes a stopped one and its results', tag: 'experiments', params: [routeParam, { name: 'purge', in: 'query', required: false, description: 'true: delete a stopped or concluded experiment and its results (409 while it runs)', schema: { type: 'string', enum: ['true', 'false'] } }], ok: plain({ anyOf: [ref('Experiment'), ref('ExperimentDeleted')] }), errors: ['ROUTE_NOT_FOUND', 'NOT_FOUND', 'NOT_READY', 'CONFLICT', 'BAD_REQUEST'] },
  },
  [r('/experiment/history')]: {
    get: { id: 'getExperimentHistory', summary: "The experiment's course: units per arm and p-values per recorded look (at most monitor.experiment_history_looks, thinned to span the whole run)", tag: 'experiments', params: [routeParam], ok: plain(ref('ExperimentHistory')), errors: ['ROUTE_NOT_FOUND', 'NOT_FOUND', 'NOT_READY'] },
  },
};

export function adminPaths(): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [path, methods] of Object.entries(SPECS)) {
    out[path] = {};
    for (const [method, spec] of Object.entries(methods)) (out[path] as Json)[method] = operation(spec, spec.open ? [] : ADMIN_ERRORS);
  }
  return out;
}
