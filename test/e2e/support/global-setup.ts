import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// npm test builds before running; a direct `vitest run --project e2e` builds here if needed.
export default function setup(): void {
  if (!existsSync('dist/index.html')) execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
