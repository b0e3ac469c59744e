import { defineConfig } from 'vitest/config';

// Cross-service suites start real processes (nats-server, the store, services, chromium). Two
// projects run side by side, each one file at a time: the browser suites (a hub and chromium
// each) and everything else. Two files at once is what the 2 cores take without starving a
// suite's own timers; within a project, files never overlap.
const shared = { testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false } as const;

export default defineConfig({
  test: {
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { test: { ...shared, name: 'browser', include: ['e2e/**/*.test.ts'] } },
      {
        test: {
          ...shared,
          name: 'services',
          include: ['store/**/*.test.ts', 'integration/**/*.test.ts', 'deploy/**/*.test.ts'],
        },
      },
    ],
  },
});
