/**
 * What a label is, per the route's `performance.task` (pure; shared by the gateway, which
 * refuses a bad label with 400, and the monitor, which scores labels): 0 or 1 for `binary`,
 * an integer class for `classes`, any finite number for `regression`.
 */
import type { PerformanceConfig } from '../config/schema.ts';

export type Task = PerformanceConfig['task'];

export function labelProblem(label: number, task: Task): string | undefined {
  if (!Number.isFinite(label)) return 'expected a finite number';
  if (task === 'binary' && label !== 0 && label !== 1) return 'this route scores binary labels: expected 0 or 1';
  if (task === 'classes' && !Number.isInteger(label)) return 'this route scores classes: expected an integer class';
  return undefined;
}
