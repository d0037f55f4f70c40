/**
 * A variant baseline built from seeded synthetic traffic (runtime/synthetic.ts): what tests and
 * bench/monitor.ts compare their generated windows against.
 */
import { makeInstance, mulberry32, normal, type TrafficSpec } from '../runtime/synthetic.ts';
import { ReferenceBuilder } from './reference-builder.ts';

export function syntheticReference(seed: number, n: number, spec: TrafficSpec, meta: { variant: string; model_version: string }) {
  const rand = mulberry32(seed);
  const gauss = normal(rand);
  const b = new ReferenceBuilder();
  for (let i = 0; i < n; i++) {
    const { features, score } = makeInstance(rand, gauss, spec);
    b.addInstance(features);
    b.addOutput(score);
  }
  return b.build({ ...meta, source: 'file' });
}
