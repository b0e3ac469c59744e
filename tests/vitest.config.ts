import { defineConfig } from 'vitest/config';

// Cross-service suites start real processes (nats-server, the store, services, chromium): two
// projects, the browser suites (a hub and chromium each) and everything else, each one file at a
// time. Measured in CI (vitest 4.1): the projects ran one after the other, not side by side, so no
// two heavy files ever share the 2 cores.
const shared = { testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false } as const;

export default defineConfig({
  test: {
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
