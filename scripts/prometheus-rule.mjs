#!/usr/bin/env node
// Writes deploy/kubernetes/base/prometheus-rule.yaml from config/prometheus/alerts.yml, so the
// Prometheus Operator gets exactly the shipped alert rules. test/kubernetes-manifests.test.ts
// fails when the two differ: run `node scripts/prometheus-rule.mjs` after editing alerts.yml.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const alerts = parse(readFileSync(join(root, 'config/prometheus/alerts.yml'), 'utf8'));
const rule = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { name: 'modelgate', labels: { 'app.kubernetes.io/name': 'modelgate' } },
  spec: { groups: alerts.groups },
};
const header = '# GENERATED from config/prometheus/alerts.yml by `node scripts/prometheus-rule.mjs`: edit that file, not this one.\n';
writeFileSync(join(root, 'deploy/kubernetes/base/prometheus-rule.yaml'), header + stringify(rule, { lineWidth: 0 }));
