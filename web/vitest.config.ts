import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Unit tests cover the logic modules (API client, session, live connection, message files). The
// Svelte plugin compiles the rune classes in `*.svelte.ts`; no SvelteKit needed.
export default defineConfig({
  plugins: [svelte()],
  test: {
    include: ['src/**/*.spec.ts'],
    environment: 'node',
  },
});
