import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the app build and the test projects. `base: './'` lets the built site work from any
// sub-path (GitHub Pages style).
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
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
