import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end files start their own servers; a few at a time keeps timings honest on 2 cores.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
