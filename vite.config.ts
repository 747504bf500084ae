import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { serviceWorkerPlugin } from './scripts/service-worker-plugin.js';

/** index.html's Content-Security-Policy forbids inline script; the dev server's React preamble is inline, so
 * the policy is dropped when serving in development only (the build and `vite preview` keep it). */
const devWithoutCsp: Plugin = {
  name: 'fathom-dev-without-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, ''),
};

// One config for the app build and the test projects. `base: './'` lets the built site work from any
// sub-path (GitHub Pages style).
export default defineConfig({
  base: './',
  // The build also writes sw.js, the service worker that keeps the site working offline once loaded.
  plugins: [react(), devWithoutCsp, serviceWorkerPlugin()],
  worker: { format: 'es' },
  // The web app goes to dist/web so a build never removes the CLI bundle in dist/cli.
  build: { target: 'es2022', sourcemap: true, outDir: 'dist/web', emptyOutDir: true },
  preview: { port: 4173, strictPort: true },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: ['test/corpus/**'], environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'corpus', include: ['test/corpus/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 300_000 },
      },
    ],
  },
});
