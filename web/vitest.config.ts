import { defineConfig } from 'vitest/config';

// Unit tests cover pure logic (API client, error parsing, message files); they need no Svelte plugin.
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    environment: 'node',
  },
});
