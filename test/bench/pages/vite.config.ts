import path from 'node:path';
import { defineConfig } from 'vite';

// Builds the benchmark pages (production mode, like the app) into .tmp/bench-pages.
export default defineConfig({
  root: path.resolve('test/bench/pages'),
  logLevel: 'error',
  build: {
    outDir: path.resolve('.tmp/bench-pages'),
    emptyOutDir: true,
    target: 'es2020',
    rollupOptions: { input: path.resolve('test/bench/pages/save-bench.html') },
  },
});
