// `npm start`: builds the app when the build is missing or older than its sources, then
// serves app and API (SQLite in ./data unless DATABASE_URL is set).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const sources = ['src/app', 'src/sw', 'src/shared', 'public', 'index.html', 'manifest.webmanifest', 'vite.config.ts', 'package-lock.json'];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((n) => newestMtime(path.join(p, n))));
}

const built = existsSync('dist/index.html') ? statSync('dist/index.html').mtimeMs : 0;
if (built < Math.max(...sources.map(newestMtime))) {
  console.log('Building the app (vite build)…');
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
await import('../src/server/main.ts');
