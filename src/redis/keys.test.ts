import { describe, expect, it } from 'vitest';
import * as k from './keys.ts';

describe('redis keys', () => {
  it('mirror DESIGN.md\'s key table', () => {
    expect(k.configKeys('mg')).toMatchObject({ config: '{mg}:config', history: '{mg}:config:history', audit: '{mg}:audit', events: 'mg:config:events', replicaPattern: 'mg:replicas:*' });
    expect(k.configKeys('mg').replica('r1')).toBe('mg:replicas:r1');
    expect([k.predictionsKey('mg', 'fraud'), k.outcomesKey('mg', 'fraud')]).toEqual(['mg:predictions:fraud', 'mg:outcomes:fraud']);
    expect([k.baselineKey('mg', 'r'), k.driftKey('mg', 'r'), k.leaseKey('mg', 'r'), k.canaryKey('mg', 'r')]).toEqual(['mg:baseline:r', 'mg:drift:r', 'mg:lease:r', 'mg:canary:r']);
    expect([k.srmKey('mg', 'r'), k.shadowsKey('mg', 'r'), k.experimentKey('mg', 'r'), k.monitorsKey('mg')]).toEqual(['mg:srm:r', 'mg:shadows:r', 'mg:experiment:r', 'mg:monitors']);
  });
});
