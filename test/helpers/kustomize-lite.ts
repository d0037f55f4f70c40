/**
 * Renders a kustomization the way `kubectl kustomize` does, for the subset deploy/kubernetes
 * uses (resources: files and directories; patches: strategic merge by kind and name, mappings
 * merged and lists replaced; images: newName/newTag), so the manifests test runs where kubectl
 * is absent. Where kubectl exists, the test checks both renders agree.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string>; namespace?: string }; [k: string]: any };

const docs = (text: string): K8sObject[] => parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o && typeof o === 'object');

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
function merge(base: unknown, patch: unknown): unknown {
  if (!isMap(base) || !isMap(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = k in base ? merge(base[k], v) : structuredClone(v);
  return out;
}

export function renderFromFiles(dir: string): K8sObject[] {
  const k = docs(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0] as any;
  let objects: K8sObject[] = [];
  for (const r of k.resources ?? []) {
    const p = join(dir, r);
    objects.push(...(statSync(p).isDirectory() ? renderFromFiles(p) : docs(readFileSync(p, 'utf8'))));
  }
  for (const { path } of k.patches ?? []) {
    for (const patch of docs(readFileSync(join(dir, path), 'utf8'))) {
      const i = objects.findIndex((o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name);
      if (i < 0) throw new Error(`${dir}/${path}: no ${patch.kind} ${patch.metadata.name} to patch`);
      objects[i] = merge(objects[i], patch) as K8sObject;
    }
  }
  for (const img of k.images ?? []) {
    objects = objects.map((o) => {
      for (const c of o.spec?.template?.spec?.containers ?? []) if (c.image === img.name) c.image = `${img.newName ?? img.name}${img.newTag ? `:${img.newTag}` : ''}`;
      return o;
    });
  }
  return objects;
}

/** kubectl on PATH; KUBECTL=path overrides, KUBECTL= (empty) renders from the files */
export function kubectlPath(): string | undefined {
  if (process.env.KUBECTL !== undefined) return process.env.KUBECTL || undefined;
  for (const p of (process.env.PATH ?? '').split(':')) if (p && existsSync(join(p, 'kubectl'))) return join(p, 'kubectl');
  return undefined;
}

export function renderWithKubectl(kubectl: string, dir: string): K8sObject[] {
  return docs(execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 }));
}

/** objects in a stable order, to compare two renders */
export const sorted = (objects: K8sObject[]) => [...objects].sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
