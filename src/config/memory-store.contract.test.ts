import { MemoryConfigStore } from './memory-store.ts';
import { runConfigStoreContract } from '../../test/contracts/config-store.ts';

runConfigStoreContract('memory', async (initial) => {
  const s = new MemoryConfigStore(initial);
  await s.start();
  return s;
});
