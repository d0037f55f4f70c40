import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeInferRequest, encodeInferRequest } from './proto.ts';
import { parameterValue, readInferHead, withModelName, WireError } from './wire.ts';

const param = fc.oneof(
  fc.string().map((s) => ({ string_param: s })),
  fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((n) => ({ int64_param: n })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => ({ double_param: d })),
  fc.boolean().map((b) => ({ bool_param: b })),
);
const request = fc.record({
  model_name: fc.string(),
  model_version: fc.string(),
  id: fc.string(),
  parameters: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), param, { maxKeys: 4 }),
  inputs: fc.array(
    fc.record({ name: fc.string(), datatype: fc.constant('FP32'), shape: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }), contents: fc.record({ fp32_contents: fc.array(fc.float({ noNaN: true }), { maxLength: 20 }) }) }),
    { maxLength: 3 },
  ),
  raw_input_contents: fc.array(fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)), { maxLength: 2 }),
});

describe('readInferHead', () => {
  it('reads model, version and id as the full decoder does, whatever the tensors', () => {
    fc.assert(
      fc.property(request, (r) => {
        const buf = encodeInferRequest(r);
        const head = readInferHead(buf);
        const full = decodeInferRequest(buf);
        expect(head).toMatchObject({ modelName: full.model_name, modelVersion: full.model_version, id: full.id });
        expect(head.params).toHaveLength(Object.keys(full.parameters).length);
      }),
    );
  });

  it('finds string and integer parameters by name', () => {
    fc.assert(
      fc.property(request, fc.string({ minLength: 1 }), fc.oneof(fc.string(), fc.integer({ min: 0, max: 2 ** 31 - 1 })), (r, name, value) => {
        const parameters = { ...r.parameters, [name]: typeof value === 'string' ? { string_param: value } : { int64_param: value } };
        const buf = encodeInferRequest({ ...r, parameters });
        expect(parameterValue(buf, readInferHead(buf), name)).toBe(value);
      }),
    );
  });

  it('throws WireError on truncated input, never reads past the end', () => {
    const buf = encodeInferRequest({ model_name: 'fraud', id: 'abc', inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 2], contents: { fp32_contents: [1, 2] } } as never] });
    for (let n = 1; n < buf.length; n++) {
      try {
        readInferHead(buf.subarray(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(WireError);
      }
    }
    expect(() => readInferHead(Buffer.from([0x0a, 0xff]))).toThrow(WireError);
  });
});

describe('withModelName', () => {
  it('re-targets a request without touching anything else', () => {
    fc.assert(
      fc.property(request, fc.string({ maxLength: 300 }), (r, model) => {
        const out = decodeInferRequest(withModelName(encodeInferRequest(r), model));
        const same = decodeInferRequest(encodeInferRequest({ ...r, model_name: model }));
        expect(out).toEqual(same);
        expect(readInferHead(withModelName(encodeInferRequest(r), model)).modelName).toBe(model);
      }),
    );
  });
});
