import { defineConfig } from 'vitest/config';

// Cross-service suites start real processes (nats-server, the store, services, chromium):
// generous timeouts, and files run one at a time so two suites never fight for the 2 cores.
export default defineConfig({
  test: {
    include: [
      'store/**/*.test.ts',
      'integration/**/*.test.ts',
      'deploy/**/*.test.ts',
      'e2e/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
