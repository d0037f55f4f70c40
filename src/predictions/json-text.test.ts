import { describe, expect, it } from 'vitest';
import { JsonText, jsonValue } from './json-text.ts';

describe('JsonText', () => {
  it('parses on first use, once', () => {
    const t = new JsonText(Buffer.from('{"instances":[[1,2]]}'));
    const first = t.value;
    expect(first).toEqual({ instances: [[1, 2]] });
    expect(t.value).toBe(first);
  });
  it('keeps null and false values (parsed once, not re-parsed as missing)', () => {
    expect(new JsonText(Buffer.from('null')).value).toBeNull();
    expect(new JsonText(Buffer.from('false')).value).toBe(false);
  });
  it('jsonValue passes other values through', () => {
    const o = { a: 1 };
    expect(jsonValue(o)).toBe(o);
    expect(jsonValue(new JsonText(Buffer.from('[3]')))).toEqual([3]);
    expect(jsonValue(undefined)).toBeUndefined();
  });
});
