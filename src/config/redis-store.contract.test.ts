import { afterAll, beforeAll } from 'vitest';
import { startRedis, type PrivateRedis } from '../../test/helpers/redis.ts';
import { silentLogger } from '../telemetry/logger.ts';
import { RedisConfigStore } from './redis-store.ts';
import { runConfigStoreContract } from '../../test/contracts/config-store.ts';

let redis: PrivateRedis;
let n = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

runConfigStoreContract('redis', async (initial) => {
  // a fresh prefix per case: every case starts from the seeded version
  const s = new RedisConfigStore(initial, { url: redis.url, prefix: `contract${++n}`, replicaId: `c${n}`, logger: silentLogger(), pollMs: 100, connectTimeoutMs: 500 });
  await s.start();
  return s;
});
