import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { parseKeyValues, signalUrl, tracesUrl, tracingSettings } from './tracing-env.ts';

const file = (tracing: Record<string, unknown> = { enabled: true }) => parseConfig({ tracing }, 'test', {}).tracing;

describe('tracingSettings', () => {
  it('without OTEL_* variables: the file, parent-based ratio sampling, the OTLP traces path added', () => {
    const s = tracingSettings(file({ enabled: true, otlp_endpoint: 'http://collector:4318', service_name: 'gw', sample_ratio: 0.25 }), {});
    expect(s).toMatchObject({ enabled: true, exporter: 'otlp', endpoint: 'http://collector:4318/v1/traces', resource: { 'service.name': 'gw' }, sampler: { name: 'parentbased_traceidratio', ratio: 0.25 }, headers: {}, timeoutMs: 10_000 });
    expect(s.batch).toEqual({ scheduledDelayMillis: 1000, exportTimeoutMillis: 10_000, maxQueueSize: 4096, maxExportBatchSize: 512 });
    expect(s.warnings).toEqual([]);
    expect(tracingSettings(file({}), {}).enabled).toBe(false);
  });

  it('the standard variables win over the file', () => {
    const s = tracingSettings(file({ enabled: true, otlp_endpoint: 'http://file:4318', service_name: 'from-file', sample_ratio: 0.5 }), {
      OTEL_SERVICE_NAME: 'from-env',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.name=ignored,team=ml%20ops',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318/base/',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-a=1',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-a=2',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.01',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
    });
    expect(s.resource).toEqual({ 'service.name': 'from-env', 'deployment.environment.name': 'prod', team: 'ml ops' });
    expect(s.endpoint).toBe('http://env:4318/base/v1/traces');
    expect(s.headers).toEqual({ authorization: 'Bearer abc', 'x-a': '2' });
    expect(s.timeoutMs).toBe(2500);
    expect(s.sampler).toEqual({ name: 'traceidratio', ratio: 0.01 });
    expect(s.batch).toMatchObject({ scheduledDelayMillis: 200, maxQueueSize: 100, maxExportBatchSize: 100 });
    expect(s.warnings).toEqual([]);
    // the signal-specific endpoint is used as is, before the base one
    expect(tracingSettings(file(), { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:4318/custom', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:4318' }).endpoint).toBe('http://t:4318/custom');
    // service.name from OTEL_RESOURCE_ATTRIBUTES when OTEL_SERVICE_NAME is unset
    expect(tracingSettings(file(), { OTEL_RESOURCE_ATTRIBUTES: 'service.name=res' }).resource['service.name']).toBe('res');
  });

  it('OTEL_SDK_DISABLED turns tracing off; OTEL_TRACES_EXPORTER none or console exports nothing over OTLP', () => {
    expect(tracingSettings(file(), { OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
    expect(tracingSettings(file(), { OTEL_SDK_DISABLED: 'false' }).enabled).toBe(true);
    for (const e of ['none', 'console']) {
      const s = tracingSettings(file({ enabled: true, otlp_endpoint: 'http://c:4318' }), { OTEL_TRACES_EXPORTER: e });
      expect(s.exporter).toBe(e);
      expect(s.endpoint).toBeUndefined();
    }
  });

  it('each sampler name; a bad value is reported, not fatal', () => {
    for (const name of ['always_on', 'always_off', 'parentbased_always_on', 'parentbased_always_off'] as const) expect(tracingSettings(file(), { OTEL_TRACES_SAMPLER: name }).sampler).toEqual({ name, ratio: 1 });
    expect(tracingSettings(file(), { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.3' }).sampler).toEqual({ name: 'parentbased_traceidratio', ratio: 0.3 });
    const bad = tracingSettings(file({ enabled: true, sample_ratio: 0.2 }), { OTEL_TRACES_SAMPLER: 'jaeger_remote', OTEL_BSP_MAX_QUEUE_SIZE: '-3', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_PROPAGATORS: 'b3', OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' });
    expect(bad.sampler).toEqual({ name: 'parentbased_traceidratio', ratio: 0.2 });
    expect(bad.batch.maxQueueSize).toBe(4096);
    expect(bad.warnings).toHaveLength(5);
    expect(bad.warnings.join('\n')).toMatch(/OTEL_TRACES_SAMPLER=jaeger_remote[\s\S]*OTEL_BSP_MAX_QUEUE_SIZE=-3/);
    expect(tracingSettings(file(), { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' }).warnings).toHaveLength(1);
  });
});

describe('OTLP URLs and key=value lists', () => {
  it('tracesUrl adds /v1/traces to a bare origin only; signalUrl always appends', () => {
    expect(tracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl('http://collector:4318/custom/path')).toBe('http://collector:4318/custom/path');
    expect(signalUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(signalUrl('http://collector:4318/otlp')).toBe('http://collector:4318/otlp/v1/traces');
  });
  it('parseKeyValues decodes values and reports malformed parts', () => {
    const w: string[] = [];
    expect(parseKeyValues('a=1, b = x%3Dy ,=bad,noeq,,c=%zz', 'X', w)).toEqual({ a: '1', b: 'x=y' });
    expect(w).toHaveLength(3);
  });
});
