/**
 * The Open Inference Protocol's gRPC service, loaded once from proto/open_inference_grpc.proto
 * with @grpc/proto-loader (dynamic loading: the .proto stays the one definition, no generated
 * code to keep in step). Field names stay as the specification writes them (`keepCase`).
 */
import { fileURLToPath } from 'node:url';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

export const PROTO_FILE = fileURLToPath(new URL('../../proto/open_inference_grpc.proto', import.meta.url));
export const SERVICE_NAME = 'inference.GRPCInferenceService';

const packageDefinition = loadSync(PROTO_FILE, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });

/** the service as proto-loader defines it: (de)serializers of the decoded messages */
export const inferenceService = packageDefinition[SERVICE_NAME] as unknown as ServiceDefinition;

export type Method = 'ServerLive' | 'ServerReady' | 'ModelReady' | 'ServerMetadata' | 'ModelMetadata' | 'ModelInfer' | 'ModelStreamInfer';

const method = (name: Method) => inferenceService[name] as MethodDefinition<unknown, unknown>;

export const methodPath = (name: Method): string => method(name).path;

export const decodeInferRequest = (buf: Buffer) => method('ModelInfer').requestDeserialize(buf) as InferRequestMessage;
export const decodeInferResponse = (buf: Buffer) => method('ModelInfer').responseDeserialize(buf) as InferResponseMessage;
export const encodeInferResponse = (msg: object) => method('ModelInfer').responseSerialize(msg);
export const encodeInferRequest = (msg: object) => method('ModelInfer').requestSerialize(msg);

const identity = (b: Buffer) => b;

/**
 * The service with raw bytes in and out for the calls the gateway forwards: requests are read
 * by `wire.ts` and forwarded as received, answers are passed back as the backend sent them.
 */
export function rawService(): ServiceDefinition {
  const out: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const [name, def] of Object.entries(inferenceService)) {
    const m = def as MethodDefinition<unknown, unknown>;
    out[name] = name === 'ModelInfer' || name === 'ModelStreamInfer' || name === 'ModelMetadata' || name === 'ModelReady'
      ? { ...m, requestDeserialize: identity, responseSerialize: identity as (v: unknown) => Buffer }
      : m;
  }
  return out as ServiceDefinition;
}

export interface TensorContents {
  bool_contents: boolean[];
  int_contents: number[];
  int64_contents: number[];
  uint_contents: number[];
  uint64_contents: number[];
  fp32_contents: number[];
  fp64_contents: number[];
  bytes_contents: Buffer[];
}

export interface InferParameter {
  parameter_choice?: 'bool_param' | 'int64_param' | 'string_param' | 'double_param' | 'uint64_param';
  bool_param?: boolean;
  int64_param?: number;
  string_param?: string;
  double_param?: number;
  uint64_param?: number;
}

export interface Tensor {
  name: string;
  datatype: string;
  shape: number[];
  parameters: Record<string, InferParameter>;
  contents: TensorContents | null;
}

export interface InferRequestMessage {
  model_name: string;
  model_version: string;
  id: string;
  parameters: Record<string, InferParameter>;
  inputs: Tensor[];
  outputs: Array<{ name: string }>;
  raw_input_contents: Buffer[];
}

export interface InferResponseMessage {
  model_name: string;
  model_version: string;
  id: string;
  parameters: Record<string, InferParameter>;
  outputs: Tensor[];
  raw_output_contents: Buffer[];
}
