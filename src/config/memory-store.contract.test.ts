import { MemoryConfigStore } from './memory-store.ts';
import { runConfigStoreContract } from './store.contract.ts';

runConfigStoreContract('memory', async (initial) => {
  const s = new MemoryConfigStore(initial);
  await s.start();
  return s;
});
