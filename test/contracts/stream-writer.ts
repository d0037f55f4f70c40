/**
 * The stream-writer contract, one list of cases run against every way prediction events reach
 * the stream (hono's router/common.case.test.ts style): the StreamSink (create-sink.ts) and the
 * BatchWriter alone (batch-writer.ts), each in both write modes (`log.redis_write: script |
 * xadd`). src/predictions/stream-writers.contract.test.ts calls it once per writer. Every entry
 * must read back through the one schema (predictions/schema.ts parseEntry). Not a test file
 * itself; it lives under test/ because it imports vitest (src/ ships without dev dependencies).
 */
import { describe, expect, it } from 'vitest';
import type { RedisClient as Redis } from '../../src/redis/connect.ts';
import { predictionsKey } from '../../src/redis/keys.ts';
import { testEvent, testRoute } from '../helpers/predictions.ts';
import type { PredictionEvent } from '../../src/predictions/record.ts';
import { parseEntry } from '../../src/predictions/schema.ts';

export interface StreamWriterUnderTest {
  /** the key prefix (`redis.prefix`) the writer writes under */
  readonly prefix: string;
  /** writes the events and resolves once they are in Redis */
  write(events: PredictionEvent[]): Promise<void>;
  close(): Promise<void>;
}

export type WriterFactory = () => Promise<StreamWriterUnderTest>;

export function runStreamWriterContract(name: string, reader: () => Redis, make: WriterFactory): void {
  describe(`stream writer contract: ${name}`, () => {
    const read = async (prefix: string, route: string) => (await reader().xrange(predictionsKey(prefix, route), '-', '+')).map(([id, flat]) => parseEntry(id, flat));

    it('writes one entry per event, in order, that parses back through the one schema', async () => {
      const w = await make();
      try {
        const route = testRoute('fraud', { features: ['amount', 'risk'] });
        const events = Array.from({ length: 25 }, (_, i) => testEvent(route, { rid: `r${i}`, variant: i % 2 ? 'v2' : 'v1', status: i === 3 ? 504 : 200, error: i === 3 ? 'UPSTREAM_TIMEOUT' : undefined, latencyMs: i + 0.5 }));
        await w.write(events);
        const got = await read(w.prefix, 'fraud');
        expect(got.map((e) => e.rid)).toEqual(events.map((e) => e.rid));
        expect(got[3]).toMatchObject({ status: 504, error: 'UPSTREAM_TIMEOUT', latencyMs: 3.5 });
        expect(got[1]).toMatchObject({ variant: 'v2', role: 'live', assign: 'hash', version: '1.4.2', error: undefined });
        expect(got[0].fields.v).toBe('1');
      } finally {
        await w.close();
      }
    });

    it('writes each route to its own stream and keeps text byte-identical', async () => {
      const w = await make();
      try {
        const a = testRoute('alpha');
        const b = testRoute('beta');
        await w.write([testEvent(a, { rid: 'a1', request: { instances: [{ city: 'Zürich ✓' }] } }), testEvent(b, { rid: 'b1' }), testEvent(a, { rid: 'a2' })]);
        expect((await read(w.prefix, 'alpha')).map((e) => e.rid)).toEqual(['a1', 'a2']);
        expect((await read(w.prefix, 'beta')).map((e) => e.rid)).toEqual(['b1']);
        expect((await read(w.prefix, 'alpha'))[0].featuresJson).toContain('Zürich ✓');
      } finally {
        await w.close();
      }
    });
  });
}
