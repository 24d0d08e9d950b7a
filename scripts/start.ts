// `npm start`: the one-command quickstart. On a fresh checkout (no dist/) it builds the app
// first, under a lock (build-once.ts); with NODE_ENV=production or DIST_DIR it never builds
// (a deployment builds as its own step). Then it serves app and API (SQLite in ./data unless
// DATABASE_URL is set).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildDistOnce, startMayBuild } from './build-once.ts';

if (startMayBuild(process.env)) {
  const root = process.cwd();
  const outcome = await buildDistOnce({
    root,
    build(outDir) {
      console.log('Building the app (vite build)…');
      execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], {
        stdio: 'inherit',
      });
    },
  });
  if (outcome === 'present') console.log('Serving the existing build in dist/ (npm run build rebuilds it).');
} else if (!existsSync(path.join(process.env.DIST_DIR || 'dist', 'index.html'))) {
  console.warn(`No built app in ${process.env.DIST_DIR || 'dist'}/: build it with npm run build (the API runs without it).`);
}
await import('../src/server/main.ts');
