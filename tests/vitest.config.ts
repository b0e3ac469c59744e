import { defineConfig } from 'vitest/config';

// Cross-service suites start real processes (nats-server, the store, services, chromium): two
// projects, the browser suites (a hub and chromium each) and everything else, each one file at a
// time. `npm test` at the root runs them as two steps (`test:browser`, `test:services` in
// package.json), side by side where it has 4 cores or more; `vitest run` here runs them one after
// the other.
// expect.poll's own default (1 s) is shorter than a page load on a loaded 2-core CI machine: a
// poll passes as soon as its condition holds, so the longer default only lengthens failures.
const shared = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
  fileParallelism: false,
  expect: { poll: { timeout: 10_000 } },
} as const;

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
