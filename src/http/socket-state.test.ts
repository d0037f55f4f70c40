import { Socket } from 'node:net';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { accepted, answered, openOn, pendingOn, servedOn } from './socket-state.ts';

const res = (name: string) => ({ name }) as unknown as ServerResponse;

describe('socket-state', () => {
  it('keeps the open responses of a socket in request order, pipelined ones included', () => {
    const s = new Socket();
    const [a, b, c] = [res('a'), res('b'), res('c')];
    expect(openOn(s)).toEqual([]);
    accepted(s, a);
    expect(openOn(s)).toEqual([a]);
    accepted(s, b);
    accepted(s, c);
    expect(openOn(s)).toEqual([a, b, c]);
    expect(pendingOn(s)).toBe(3);
    answered(s, b);
    expect(openOn(s)).toEqual([a, c]);
    answered(s, a);
    expect(openOn(s)).toEqual([c]);
    answered(s, c);
    expect(openOn(s)).toEqual([]);
    expect(pendingOn(s)).toBe(0);
    expect(servedOn(s)).toBe(3);
    s.destroy();
  });

  it('forgets a response answered twice only once, and one it never saw not at all', () => {
    const s = new Socket();
    const [a, b] = [res('a'), res('b')];
    accepted(s, a);
    answered(s, b);
    expect(openOn(s)).toEqual([a]);
    answered(s, a);
    answered(s, a);
    expect(openOn(s)).toEqual([]);
    s.destroy();
  });
});
