import { describe, expect, it } from 'vitest';
import { parseCount, parsePortBase, parseRate, parseShift, portsFrom } from './options.ts';
import { movePorts } from './run.ts';
import { outcomesFor } from './outcomes.ts';
import { labelFor } from './labels.ts';

describe('demo options', () => {
  it('accepts good values and rejects the rest with what is valid', () => {
    expect(parseRate('50')).toBe(50);
    expect(parseRate('0.5')).toBe(0.5);
    for (const bad of ['abc', '', '0', '-1', 'Infinity']) expect(() => parseRate(bad), bad).toThrow(/requests per second/);
    expect(parseShift('hour')).toBe('hour');
    expect(() => parseShift('amout')).toThrow('expected one of amount, merchant_risk, hour, country');
    expect(parseCount('3000')).toBe(3000);
    expect(() => parseCount('1e3')).toThrow(/whole number/);
    expect(parsePortBase('18080')).toBe(18080);
    expect(() => parsePortBase('80')).toThrow(/1024/);
    expect(() => parsePortBase('65530')).toThrow(/1024 to 65505/);
  });

  it('moves every port of the config from --port-base, backends in order of appearance', () => {
    expect(portsFrom(18080, ['http://127.0.0.1:9001', 'http://127.0.0.1:9002', 'http://127.0.0.1:9001'])).toEqual({ data: 18080, admin: 18081, monitor: 18082, redis: 18083, backends: new Map([['http://127.0.0.1:9001', 18090], ['http://127.0.0.1:9002', 18091]]) });
    const moved = movePorts(
      { listen: { port: 8080 }, admin: { port: 8081 }, monitor: { port: 9100 }, routes: { fraud: { variants: [{ backend: 'http://127.0.0.1:9001' }, { backend: 'http://127.0.0.1:9002/base' }], shadows: [{ backend: 'http://127.0.0.1:9003' }] } } },
      20000,
    );
    expect(moved.listen?.port).toBe(20000);
    expect(moved.admin?.port).toBe(20001);
    expect(moved.monitor?.port).toBe(20002);
    expect(moved.redisPort).toBe(20003);
    expect(moved.routes?.fraud.variants?.map((v) => v.backend)).toEqual(['http://127.0.0.1:20010', 'http://127.0.0.1:20011/base']);
    expect(moved.routes?.fraud.shadows?.[0].backend).toBe('http://127.0.0.1:20012');
  });

  it('turns a served prediction into outcomes by chance per variant', () => {
    expect(outcomesFor('fraud', 'rid-1', 'u1', 'v2', 12.5, () => 0.5)).toEqual([]);
    expect(outcomesFor('fraud', 'rid-1', 'u1', 'v2', 12.5, () => 0.12)).toEqual([
      { request_id: 'rid-1', route: 'fraud', metric: 'converted', value: 1, id: 'converted:u1' },
      { request_id: 'rid-1', route: 'fraud', metric: 'revenue', value: 12.5, id: 'revenue:rid-1' },
    ]);
    expect(outcomesFor('fraud', 'rid-1', 'u1', 'v1', 1, () => 0.12)).toEqual([]); // v1 converts at 10 %
  });

  it('labels a served transaction from the true model, by request id or (one in five) by unit and time', () => {
    const tx = { amount: 50, merchant_risk: 0.25, hour: 12, country: 'US' };
    // score(TRUE_FRAUD, tx) is small (about 0.03): a draw of 0.01 is fraud, 0.5 is not
    const seq = (...xs: number[]) => () => xs.shift() as number;
    expect(labelFor('fraud', { requestId: 'r', unit: 'u', ts: 5, tx }, seq(0.01, 0.9))).toEqual({ route: 'fraud', label: 1, request_id: 'r' });
    expect(labelFor('fraud', { requestId: 'r', unit: 'u', ts: 5, tx }, seq(0.5, 0.1))).toEqual({ route: 'fraud', label: 0, unit: 'u', ts: 5 });
  });
});
