import { describe, expect, it } from 'vitest';
import { ClientGone } from './cancel.ts';

describe('ClientGone', () => {
  it('calls every listener once, in order, and only those still added', () => {
    const s = new ClientGone();
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    const c = () => calls.push('c');
    s.addEventListener('abort', a);
    s.addEventListener('abort', b);
    s.addEventListener('abort', c);
    s.removeEventListener('abort', b);
    expect(s.aborted).toBe(false);
    s.abort();
    s.abort();
    expect(s.aborted).toBe(true);
    expect(calls).toEqual(['a', 'c']);
  });

  it('a removed first listener leaves the others', () => {
    const s = new ClientGone();
    const calls: string[] = [];
    const a = () => calls.push('a');
    s.addEventListener('abort', a);
    s.addEventListener('abort', () => calls.push('b'));
    s.removeEventListener('abort', a);
    s.abort();
    expect(calls).toEqual(['b']);
  });
});
