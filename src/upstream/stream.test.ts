import { describe, expect, it } from 'vitest';
import { isStreamedAnswer, StreamHead } from './stream.ts';

const raw = (...kv: string[]) => kv.map((s) => Buffer.from(s));

describe('isStreamedAnswer', () => {
  it('streams event streams and chunked answers without a length', () => {
    expect(isStreamedAnswer(raw('Content-Type', 'text/event-stream; charset=utf-8'))).toBe(true);
    expect(isStreamedAnswer(raw('content-type', 'application/json', 'transfer-encoding', 'chunked'))).toBe(true);
  });
  it('buffers answers with a content-length', () => {
    expect(isStreamedAnswer(raw('content-type', 'application/json', 'content-length', '12'))).toBe(false);
    expect(isStreamedAnswer(raw('transfer-encoding', 'chunked', 'content-length', '12'))).toBe(false);
    expect(isStreamedAnswer([])).toBe(false);
  });
});

describe('StreamHead', () => {
  it('keeps the first bytes and counts them all', () => {
    const h = new StreamHead(5);
    for (const s of ['abc', 'defg', 'hij']) h.add(Buffer.from(s));
    expect(h.body().toString()).toBe('abcde');
    expect(h.bytes).toBe(10);
  });
});
