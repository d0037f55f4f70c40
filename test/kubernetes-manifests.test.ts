/**
 * deploy/kubernetes: renders the base and the overlays (`kubectl kustomize`, or the files when
 * kubectl is absent), validates every object offline against the Kubernetes schemas
 * (kubernetes-models; the Prometheus Operator CRDs through @kubernetes-models/prometheus-operator),
 * checks the probes, ports and Services against the gateway's real config (parsed with
 * parseConfig and started for real), and that the PrometheusRule is the shipped alerts.yml and
 * passes `promtool check rules`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { parseConfig } from '../src/config/load.ts';
import { staticSchema, type FileConfig } from '../src/config/schema.ts';
import { startGateway } from '../src/gateway/start.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { kubectlPath, renderFromFiles, renderWithKubectl, sorted, type K8sObject } from './helpers/kustomize-lite.ts';
import { promtoolCheck } from './ops-prometheus-tools.ts';
import { ConfigError } from '../src/errors.ts';

const ROOT = 'deploy/kubernetes';
const TREES = ['base', 'overlays/external-redis', 'overlays/external-redis-cluster'];
const kubectl = kubectlPath();
const render = (tree: string) => (kubectl ? renderWithKubectl(kubectl, join(ROOT, tree)) : renderFromFiles(join(ROOT, tree)));

const MODELS: Record<string, new (o: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

// The schemas accept unknown fields, so a misspelt key (readinesProbe) would pass: the keys most
// worth a typo check are checked against the Kubernetes API field lists by hand.
const CONTAINER_KEYS = ['name', 'image', 'imagePullPolicy', 'args', 'command', 'ports', 'env', 'envFrom', 'readinessProbe', 'livenessProbe', 'startupProbe', 'resources', 'securityContext', 'volumeMounts', 'workingDir', 'lifecycle'];
const POD_KEYS = ['serviceAccountName', 'automountServiceAccountToken', 'terminationGracePeriodSeconds', 'securityContext', 'topologySpreadConstraints', 'containers', 'volumes', 'affinity', 'nodeSelector', 'tolerations'];
const PROBE_KEYS = ['httpGet', 'initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'];

const one = (objs: K8sObject[], kind: string, name: string): K8sObject => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
};
const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);
const configOf = (objs: K8sObject[]) => one(objs, 'ConfigMap', 'modelgate-config').data['gateway.yaml'] as string;
/** the schema knows redis.cluster once Redis Cluster support (issue 13, part A) is merged */
const schemaKnowsCluster = 'cluster' in (staticSchema.shape.redis.unwrap() as unknown as { shape: object }).shape;
/** parses the ConfigMap's file the way the pod does, with the Secret's variables set */
const parseStrict = (text: string): FileConfig => parseConfig(parseYaml(text), 'configmap', { MODELGATE_LOG_KEY: 'k' });
/** the same, leaving out redis.cluster while the schema lacks it (checked on its own below) */
const parsePodConfig = (text: string): FileConfig => {
  const raw = parseYaml(text);
  if (!schemaKnowsCluster && raw.redis) delete raw.redis.cluster;
  return parseConfig(raw, 'configmap', { MODELGATE_LOG_KEY: 'k' });
};

function containerPort(container: any, port: string | number): number {
  if (typeof port === 'number') return port;
  const p = container.ports.find((x: any) => x.name === port);
  if (!p) throw new Error(`container ${container.name} has no port named ${port}`);
  return p.containerPort;
}

describe.each(TREES)('deploy/kubernetes/%s', (tree) => {
  const objs = render(tree);

  it('renders the same objects with kubectl kustomize and from the files', () => {
    if (!kubectl) {
      // kubectl is optional (.ci/run does not install it): the file render is what is checked
      expect(objs.length).toBeGreaterThan(10);
      return;
    }
    expect(sorted(renderFromFiles(join(ROOT, tree)))).toEqual(sorted(objs));
  });

  it('every object validates against its Kubernetes (or Prometheus Operator CRD) schema', () => {
    for (const o of objs) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(Model, `${o.apiVersion} ${o.kind} has no schema here`).toBeDefined();
      expect(() => new Model(o).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
      if (o.kind === 'Deployment') {
        const pod = o.spec.template.spec;
        for (const k of Object.keys(pod)) expect(POD_KEYS, `${o.metadata.name} pod spec key ${k}`).toContain(k);
        for (const c of pod.containers) {
          for (const k of Object.keys(c)) expect(CONTAINER_KEYS, `${o.metadata.name}/${c.name} key ${k}`).toContain(k);
          for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) for (const k of Object.keys(c[probe] ?? {})) expect(PROBE_KEYS, `${c.name}.${probe}.${k}`).toContain(k);
        }
      }
    }
    const kinds = objs.map((o) => o.kind).sort();
    expect(kinds).toEqual(['ConfigMap', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'PrometheusRule', 'Secret', 'Service', 'Service', 'Service', 'ServiceAccount', 'ServiceMonitor']);
  });

  it("the gateway's probes, ports and Services match its real config", () => {
    const cfg = parsePodConfig(configOf(objs));
    const dep = one(objs, 'Deployment', 'modelgate-gateway');
    const pod = dep.spec.template.spec;
    const c = pod.containers.find((x: any) => x.name === 'gateway');
    expect(dep.spec.replicas).toBeGreaterThanOrEqual(2);
    // the config file is the mounted ConfigMap
    const configArg = c.args[c.args.indexOf('--config') + 1] as string;
    const mount = c.volumeMounts.find((m: any) => configArg.startsWith(`${m.mountPath}/`));
    expect(pod.volumes.find((v: any) => v.name === mount.name).configMap.name).toBe('modelgate-config');
    expect(Object.keys(one(objs, 'ConfigMap', 'modelgate-config').data)).toContain(configArg.slice(mount.mountPath.length + 1));
    // probes on the data port, the paths the data plane serves
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) expect(containerPort(c, probe.httpGet.port)).toBe(cfg.listen.port);
    expect(cfg.listen.host).toBe('0.0.0.0');
    // the admin API must listen on the pod's address to be reachable through its Service
    expect(cfg.admin.host).toBe('0.0.0.0');
    expect(containerPort(c, 'admin')).toBe(cfg.admin.port);
    // the public Service exposes the data port only; the internal one the admin port
    const pub = one(objs, 'Service', 'modelgate-gateway');
    const adm = one(objs, 'Service', 'modelgate-gateway-admin');
    expect(pub.spec.ports.map((p: any) => containerPort(c, p.targetPort))).toEqual([cfg.listen.port]);
    expect(adm.spec.ports.map((p: any) => containerPort(c, p.targetPort))).toEqual([cfg.admin.port]);
    for (const s of [pub, adm]) expect(selects(s.spec.selector, dep.spec.template.metadata.labels)).toBe(true);
    // drain: SIGTERM -> drain_delay_ms -> in-flight up to shutdown_timeout_ms, inside the grace period
    const drainMs = (cfg.limits as { drain_delay_ms?: number }).drain_delay_ms ?? 5_000;
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(drainMs + cfg.limits.shutdown_timeout_ms);
    // non-root, read-only root filesystem, a writable /tmp, resources
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    const tmp = c.volumeMounts.find((m: any) => m.mountPath === '/tmp');
    expect(pod.volumes.find((v: any) => v.name === tmp.name).emptyDir).toBeDefined();
    expect(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory).toBeTruthy();
    // admin tokens and the log key from the Secret
    const secret = one(objs, 'Secret', 'modelgate-secrets');
    for (const name of ['MODELGATE_ADMIN_TOKENS', 'MODELGATE_LOG_KEY']) {
      const ref = c.env.find((e: any) => e.name === name).valueFrom.secretKeyRef;
      expect(ref.name).toBe('modelgate-secrets');
      expect(Object.keys(secret.stringData ?? secret.data)).toContain(ref.key);
    }
  });

  it('the NetworkPolicy lets only labelled clients reach the admin port; HPA and PDB target the gateway', () => {
    const dep = one(objs, 'Deployment', 'modelgate-gateway');
    const labels = dep.spec.template.metadata.labels;
    const np = one(objs, 'NetworkPolicy', 'modelgate-gateway');
    expect(selects(np.spec.podSelector.matchLabels, labels)).toBe(true);
    expect(np.spec.policyTypes).toContain('Ingress');
    const adminRules = np.spec.ingress.filter((r: any) => (r.ports ?? []).some((p: any) => p.port === 'admin' || p.port === 8081));
    expect(adminRules.length).toBeGreaterThan(0);
    for (const r of adminRules) expect(r.from?.length, 'an admin-port rule without `from` admits everyone').toBeGreaterThan(0);
    // a rule without ports would open every port, the admin one included
    for (const r of np.spec.ingress) expect(r.ports?.length, 'an ingress rule without ports').toBeGreaterThan(0);
    const hpa = one(objs, 'HorizontalPodAutoscaler', 'modelgate-gateway');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'modelgate-gateway' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(selects(one(objs, 'PodDisruptionBudget', 'modelgate-gateway').spec.selector.matchLabels, labels)).toBe(true);
  });

  it('the monitor and the ServiceMonitor: both /metrics are scraped under job names the alerts match', () => {
    const cfg = parsePodConfig(configOf(objs));
    const mon = one(objs, 'Deployment', 'modelgate-monitor');
    const mc = mon.spec.template.spec.containers[0];
    expect(mc.args.slice(0, 1)).toEqual(['monitor']);
    expect(cfg.monitor.host).toBe('0.0.0.0');
    expect(containerPort(mc, mc.readinessProbe.httpGet.port)).toBe(cfg.monitor.port);
    const sm = one(objs, 'ServiceMonitor', 'modelgate');
    const scraped = objs.filter((o) => o.kind === 'Service' && selects(sm.spec.selector.matchLabels, o.metadata.labels));
    expect(scraped.map((s) => s.metadata.name).sort()).toEqual(['modelgate-gateway', 'modelgate-monitor']);
    for (const s of scraped) {
      // the operator's job label is the Service name
      expect(s.metadata.name).toMatch(/^modelgate-.*/);
      const ep = sm.spec.endpoints.find((e: any) => s.spec.ports.some((p: any) => p.name === e.port));
      expect(ep?.path, `an endpoint for ${s.metadata.name}`).toBe('/metrics');
    }
  });
});

describe('the overlays point at an external Redis', () => {
  it('single node: redis.url names the external host', () => {
    const cfg = parsePodConfig(configOf(render('overlays/external-redis')));
    expect(cfg.redis?.url).toMatch(/^rediss?:\/\/[^,]+$/);
    expect(cfg.redis?.url).not.toBe(parsePodConfig(configOf(render('base'))).redis?.url);
  });

  it('cluster: redis.cluster true with a comma-separated seed list', () => {
    const text = configOf(render('overlays/external-redis-cluster'));
    const raw = parseYaml(text);
    expect(raw.redis.cluster).toBe(true);
    const seeds = String(raw.redis.url).split(',');
    expect(seeds.length).toBeGreaterThanOrEqual(2);
    for (const s of seeds) expect(s).toMatch(/^rediss?:\/\/[^/,]+:\d+$/);
    if (schemaKnowsCluster) expect(parseStrict(text).redis).toMatchObject({ cluster: true });
    else {
      // before the Redis Cluster support is merged, `cluster` is the one key the schema lacks
      const err = (() => {
        try {
          parseStrict(text);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`).join('\n')).toMatch(/^redis\b.*cluster/);
      expect((err as ConfigError).problems).toHaveLength(1);
    }
  });
});

describe('the base against real software', () => {
  const objs = render('base');

  it('a gateway started from the ConfigMap answers the probe paths with 200', async () => {
    const cfg = parsePodConfig(configOf(objs));
    const dep = one(objs, 'Deployment', 'modelgate-gateway');
    const c = dep.spec.template.spec.containers[0];
    // same file, on loopback ephemeral ports and without the cluster's Redis
    const { redis: _redis, ...rest } = cfg;
    const local = { ...rest, listen: { host: '127.0.0.1', port: 0 }, admin: { ...cfg.admin, host: '127.0.0.1', port: 0 } } as FileConfig;
    const gw = await startGateway(local, { logger: silentLogger() });
    try {
      for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
        const r = await fetch(`http://127.0.0.1:${gw.dataPort}${probe.httpGet.path}`);
        expect(r.status, probe.httpGet.path).toBe(200);
      }
    } finally {
      await gw.close();
    }
  });

  it('the PrometheusRule carries exactly the shipped alert rules, and promtool accepts them', () => {
    const rule = one(objs, 'PrometheusRule', 'modelgate');
    const shipped = parseYaml(readFileSync('config/prometheus/alerts.yml', 'utf8'));
    expect(rule.spec.groups, 'deploy/kubernetes/base/prometheus-rule.yaml is stale: run `node scripts/prometheus-rule.mjs`').toEqual(shipped.groups);
    const file = join(mkdtempSync(join(tmpdir(), 'mg-k8s-rules-')), 'rules.yml');
    writeFileSync(file, stringify({ groups: rule.spec.groups }));
    const r = promtoolCheck('rules', file);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/SUCCESS: \d+ rules found/);
  });
});
