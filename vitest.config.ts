import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end files start servers and measure latency under load and faults: one file at a
    // time keeps those timings honest on a 2-core machine.
    fileParallelism: false,
  },
});
