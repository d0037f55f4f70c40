/**
 * A live baseline capture: the next N judgeable live entries of one variant after the
 * request's stream id become that variant's reference. Pure: the drift consumer offers
 * entries and stores the result once done.
 */
import type { CaptureRequest, VariantBaseline } from './baseline.ts';
import { compareIds, entryInstances, entryOutputs, isJudgeable, type LogEntry } from '../../predictions/schema.ts';
import { ReferenceBuilder } from './reference-builder.ts';

export class Capture {
  private readonly builder = new ReferenceBuilder();
  private modelVersion = '';
  taken = 0;
  /** ids of the entries taken: they are not judged */
  readonly ids = new Set<string>();

  constructor(readonly req: CaptureRequest) {}

  get done(): boolean {
    return this.taken >= this.req.entries;
  }

  /** Takes the entry if it belongs to this capture; true when taken. */
  offer(e: LogEntry): boolean {
    if (this.done || e.role !== 'live' || e.variant !== this.req.variant || !isJudgeable(e)) return false;
    if (compareIds(e.id, this.req.after) <= 0) return false;
    for (const inst of entryInstances(e)) this.builder.addInstance(inst);
    for (const o of entryOutputs(e)) this.builder.addOutput(o);
    this.modelVersion = e.version;
    this.taken++;
    this.ids.add(e.id);
    return true;
  }

  build(): Omit<VariantBaseline, 'version'> {
    return this.builder.build({ variant: this.req.variant, model_version: this.modelVersion, source: 'capture', entries: this.taken });
  }
}
