import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // kit shares node_modules with fastify, whose cookie@2 is hoisted; bundle kit's own (research/stack.md §6).
  ssr: { noExternal: ['cookie'] },
  // The API behind the dev server: `npm run dev` sets ATRIUM_API_URL to the server it runs; alone,
  // `npm run dev -w kit-ui` talks to a running `npm start` on port 3000.
  server: { proxy: { '/api': { target: process.env.ATRIUM_API_URL ?? 'http://127.0.0.1:3000', ws: true } } },
});
