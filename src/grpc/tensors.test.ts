import { describe, expect, it } from 'vitest';
import { extractFeatures, extractPredictions, planFor } from '../predictions/extract.ts';
import { testRoute } from '../../test/helpers/predictions.ts';
import { decodeInferRequest, decodeInferResponse, encodeInferRequest, encodeInferResponse } from './proto.ts';
import { requestJson, responseJson } from './tensors.ts';

describe('OIP gRPC messages as REST JSON', () => {
  const route = testRoute();
  it('typed contents become data, and the log extracts V2 features and predictions from them', () => {
    const req = decodeInferRequest(
      encodeInferRequest({
        model_name: 'fraud',
        inputs: [
          { name: 'x', datatype: 'FP64', shape: [2, 2], contents: { fp64_contents: [1, 2, 3, 4] } },
          { name: 'country', datatype: 'BYTES', shape: [2, 1], contents: { bytes_contents: [Buffer.from('BR'), Buffer.from('DE')] } },
        ],
      }),
    );
    const json = requestJson(req, 1000);
    expect(extractFeatures('grpc', json, planFor(route), 10)).toEqual([
      { x_0: 1, x_1: 2, country: 'BR' },
      { x_0: 3, x_1: 4, country: 'DE' },
    ]);
    const res = decodeInferResponse(encodeInferResponse({ model_name: 'fraud', outputs: [{ name: 'score', datatype: 'FP64', shape: [2, 1], contents: { fp64_contents: [0.1, 0.9] } }] as never }));
    expect(extractPredictions('grpc', responseJson(res, 1000), planFor(route), 10)).toEqual([0.1, 0.9]);
  });

  it('raw contents are described by datatype and shape, never their bytes', () => {
    const req = decodeInferRequest(encodeInferRequest({ model_name: 'm', inputs: [{ name: 'img', datatype: 'UINT8', shape: [1, 3, 2, 2] }] as never, raw_input_contents: [Buffer.alloc(12, 7)] }));
    expect(requestJson(req, 1000).inputs).toEqual([{ name: 'img', datatype: 'UINT8', shape: [1], data: ['UINT8[1,3,2,2]'] }]);
  });

  it('reads at most max elements of a tensor', () => {
    const req = decodeInferRequest(encodeInferRequest({ model_name: 'm', inputs: [{ name: 'x', datatype: 'INT32', shape: [1, 1000], contents: { int_contents: Array.from({ length: 1000 }, (_, i) => i) } }] as never }));
    expect((requestJson(req, 10).inputs as Array<{ data: unknown[] }>)[0].data).toHaveLength(10);
  });
});
