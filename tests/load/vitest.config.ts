import { defineConfig } from 'vitest/config';

// Benchmarks print figures (ops/s, p99, ratios against named peers); they assert nothing about speed.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.load.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
