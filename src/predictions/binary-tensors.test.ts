import { describe, expect, it } from 'vitest';
import { answerJsonPart, jsonHeaderLength } from './binary-tensors.ts';
import { v2Features } from './extract.ts';
import { toEntry } from './entry.ts';
import { testEvent, testRoute } from '../../test/helpers/predictions.ts';
import { unitEncoder } from './unit-hash.ts';

describe('binary tensor extension', () => {
  it('accepts only a length within the body', () => {
    expect(jsonHeaderLength('10', 20)).toBe(10);
    expect(jsonHeaderLength('21', 20)).toBeNull();
    expect(jsonHeaderLength('-1', 20)).toBeNull();
    expect(jsonHeaderLength('1e3', 2000)).toBeNull();
  });
  it('cuts an answer to its JSON part when the header says so', () => {
    const body = Buffer.from('{"a":1}BINARY');
    expect(answerJsonPart([Buffer.from('inference-header-content-length'), Buffer.from('7')], body).toString()).toBe('{"a":1}');
    expect(answerJsonPart([Buffer.from('content-type'), Buffer.from('x')], body)).toBe(body);
  });
  it('logs binary inputs as shape and datatype', () => {
    expect(v2Features({ inputs: [{ name: 'IN', shape: [2, 3], datatype: 'INT8', parameters: { binary_data_size: 6 } }] }, 10)).toEqual([{ IN: { datatype: 'INT8', shape: [2, 3] } }]);
  });
});

describe('streamed log entries', () => {
  it('carries ttfb, bytes and the first bytes of the body, within max_entry_bytes', () => {
    const ctx = { keyPrefix: 'mg:predictions:', maxlen: '1000', maxEntryBytes: 1024, unit: unitEncoder('hmac', 'k').encode };
    const head = Buffer.from('x'.repeat(4000));
    const e = toEntry(testEvent(testRoute(), { response: head, stream: { ttfbMs: 1.5, bytes: 9000 } }), ctx);
    const f: Record<string, string> = {};
    for (let i = 5; i < e.args.length; i += 2) f[e.args[i]] = e.args[i + 1];
    expect(f).toMatchObject({ streamed: '1', ttfb_ms: '1.500', bytes: '9000' });
    expect(f.body.length).toBeGreaterThan(100);
    expect(f.truncated).toContain('body');
    expect(e.bytes).toBeLessThanOrEqual(1024);
  });
});
