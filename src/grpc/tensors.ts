/**
 * Decoded OIP gRPC messages as the REST (JSON) shapes the log and the shadow comparison read
 * (pure): a tensor's typed contents become its `data`; a tensor sent as raw bytes is described
 * by its datatype and shape only (`"FP32[1,4]"`), never its bytes.
 */
import type { InferParameter, InferRequestMessage, InferResponseMessage, Tensor, TensorContents } from './proto.ts';

const FIELD_BY_TYPE: Record<string, keyof TensorContents> = {
  BOOL: 'bool_contents',
  INT8: 'int_contents',
  INT16: 'int_contents',
  INT32: 'int_contents',
  INT64: 'int64_contents',
  UINT8: 'uint_contents',
  UINT16: 'uint_contents',
  UINT32: 'uint_contents',
  UINT64: 'uint64_contents',
  FP32: 'fp32_contents',
  FP64: 'fp64_contents',
  BYTES: 'bytes_contents',
};

export interface JsonTensor {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown[];
}

export const rawDescription = (t: Pick<Tensor, 'datatype' | 'shape'>): string => `${t.datatype}[${t.shape.join(',')}]`;

/** At most `max` elements of a tensor's typed contents, as JSON values. */
export function contentsOf(t: Tensor, max: number): unknown[] | undefined {
  const field = FIELD_BY_TYPE[t.datatype];
  const c = t.contents;
  if (!field || !c) return undefined;
  const list = c[field] as unknown[];
  const n = Math.min(list.length, max);
  const out = new Array<unknown>(n);
  if (field === 'bytes_contents') for (let i = 0; i < n; i++) out[i] = (list[i] as Buffer).toString('utf8');
  else for (let i = 0; i < n; i++) out[i] = list[i];
  return out;
}

function tensorJson(t: Tensor, raw: boolean, max: number): JsonTensor {
  if (raw) return { name: t.name, datatype: t.datatype, shape: [1], data: [rawDescription(t)] };
  return { name: t.name, datatype: t.datatype, shape: t.shape, data: contentsOf(t, max) ?? [] };
}

export function parameterJson(p: InferParameter): unknown {
  return p.parameter_choice ? p[p.parameter_choice] : undefined;
}

function parametersJson(ps: Record<string, InferParameter>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ps)) out[k] = parameterJson(v);
  return out;
}

/** The request as an OIP REST body: `{ id, parameters, inputs: [{ name, datatype, shape, data }] }`. */
export function requestJson(m: InferRequestMessage, max: number): Record<string, unknown> {
  const raw = m.raw_input_contents.length > 0;
  return { id: m.id, parameters: parametersJson(m.parameters), inputs: m.inputs.map((t) => tensorJson(t, raw, max)) };
}

/** The answer as an OIP REST body: `{ model_name, model_version, id, outputs: [...] }`. */
export function responseJson(m: InferResponseMessage, max: number): Record<string, unknown> {
  const raw = m.raw_output_contents.length > 0;
  return { model_name: m.model_name, model_version: m.model_version, id: m.id, outputs: m.outputs.map((t) => tensorJson(t, raw, max)) };
}
