/**
 * Reads a training file row by row into a ReferenceBuilder: CSV (csv-parse, header row,
 * numeric-looking cells become numbers, empty cells are missing) or JSON Lines (one object per
 * line; either flat, or `{"features": {...}, "prediction": ...}`). `outputColumn` (default
 * `prediction`) names the column holding the model's output; `exclude` lists columns that are not features (ids,
 * labels). `onBytes` reports progress in bytes read.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { ReferenceBuilder } from './reference-builder.ts';

export interface TrainingFileOptions {
  outputColumn?: string;
  exclude?: string[];
  onBytes?: (bytes: number) => void;
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function castCell(v: string): unknown {
  const t = v.trim();
  if (t === '') return undefined;
  return NUMERIC.test(t) ? Number(t) : v;
}

export const fileKind = (path: string): 'csv' | 'jsonl' => (/\.(jsonl|ndjson|json)$/i.test(path) ? 'jsonl' : 'csv');

export async function readTrainingFile(path: string, o: TrainingFileOptions = {}): Promise<ReferenceBuilder> {
  const builder = new ReferenceBuilder();
  const skip = new Set(o.exclude ?? []);
  const addRow = (row: Record<string, unknown>) => {
    const nested = row.features;
    const isNested = typeof nested === 'object' && nested !== null && !Array.isArray(nested);
    const features: Record<string, unknown> = isNested ? { ...(nested as object) } : { ...row };
    const outCol = o.outputColumn ?? 'prediction';
    const output: unknown = isNested ? row[outCol] : features[outCol];
    delete features[outCol];
    for (const k of skip) delete features[k];
    builder.addInstance(features);
    if (output !== undefined) builder.addOutput(output);
  };
  const stream = createReadStream(path);
  let bytes = 0;
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    o.onBytes?.(bytes);
  });
  if (fileKind(path) === 'csv') {
    const parser = stream.pipe(parse({ columns: true, skip_empty_lines: true, trim: false, cast: (v, ctx) => (ctx.header ? v : castCell(v)) }));
    for await (const row of parser) addRow(row as Record<string, unknown>);
  } else {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        throw new Error(`${path}:${n}: not valid JSON`);
      }
      if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new Error(`${path}:${n}: expected a JSON object`);
      addRow(row as Record<string, unknown>);
    }
  }
  return builder;
}
