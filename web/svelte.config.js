import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    adapter: adapter({ out: 'build' }),
    // Everything is same-origin: no CDN, no external fonts. Inline style attributes stay allowed
    // (Svelte sets a few); scripts get per-response nonces from SvelteKit.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'blob:', 'data:'],
        'connect-src': ['self'],
        'font-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
        // A Market Place session's stream plays in a frame; the web frames only addresses spaces
        // marked embeddable (its allowed host list), so any https origin may be framed here.
        'frame-src': ['self', 'https:'],
      },
    },
  },
};

export default config;
