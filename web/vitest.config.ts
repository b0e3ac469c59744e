import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Unit tests cover the logic modules (API client, session, live connection, load errors, message
// files) and render shared components to HTML with `svelte/server`. The Svelte plugin compiles
// `*.svelte` and the rune classes in `*.svelte.ts`; no SvelteKit needed, only its `$lib` alias.
export default defineConfig({
  plugins: [svelte()],
  resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
  test: {
    include: ['src/**/*.spec.ts'],
    environment: 'node',
  },
});
