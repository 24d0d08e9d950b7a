import { defineConfig } from 'vitest/config';

// Three suites, one run: unit (pure code, components in happy-dom, IndexedDB in
// fake-indexeddb), server (HTTP against real SQLite and PostgreSQL), e2e (the built app in
// headless Chromium). scripts/test.ts prints the combined "N passed, N failed" line.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'server', include: ['test/server/**/*.test.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          globalSetup: ['test/e2e/support/global-setup.ts'],
        },
      },
    ],
  },
});
