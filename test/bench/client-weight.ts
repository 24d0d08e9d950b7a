// Client weight: gzip bytes of the JS and CSS the browser must fetch before the first
// capture form works (the entry and its static imports; lazy office chunks excluded), and of
// the whole precache. Peers are bundled the same way (vite, production, minified) from a
// one-line entry that imports the form engine.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Files index.html loads eagerly: its module script, modulepreloads and stylesheets, plus their static imports. */
export function captureWeight(distDir = 'dist'): { bytes: number; files: string[] } {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const seeds = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  const queue = [...seeds];
  while (queue.length) {
    const url = queue.pop()!;
    if (seen.has(url)) continue;
    seen.add(url);
    if (!url.endsWith('.js')) continue;
    const code = readFileSync(path.join(distDir, url), 'utf8');
    // Static imports only (`import … from "./x.js"` / `import "./x.js"`); dynamic import() chunks are lazy.
    for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["'](\.\/[^"']+\.js)["']/g)) {
      queue.push(path.posix.join(path.posix.dirname(url), m[1]!));
    }
  }
  const files = [...seen];
  return { bytes: files.reduce((n, f) => n + gz(path.join(distDir, f)), 0), files };
}

export function precacheWeight(distDir = 'dist'): { bytes: number; count: number } {
  const sw = readFileSync(path.join(distDir, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/"?url"?:"([^"]+)"/g)].map((m) => m[1]!);
  const bytes = urls.reduce((n, u) => n + gz(path.join(distDir, u.replace(/^\//, ''))), 0);
  return { bytes, count: urls.length };
}

/** Bundles an entry importing a peer form engine with vite; gzip bytes of all JS+CSS emitted. */
export function bundlePeer(name: string, entry: string, peersDir: string): number | string {
  // Inside the peers folder, so that bare imports resolve from its node_modules.
  const dir = mkdtempSync(path.join(peersDir, `.build-${name.replace(/\W+/g, '-')}-`));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="app"></div><script type="module" src="/src/main.js"></script>');
  writeFileSync(path.join(dir, 'src/main.js'), entry);
  const config = path.join(dir, 'vite.config.mjs');
  writeFileSync(
    config,
    `export default { root: ${JSON.stringify(dir)}, logLevel: 'error', build: { outDir: ${JSON.stringify(path.join(dir, 'dist'))}, target: 'es2020' } };`,
  );
  try {
    execFileSync(process.execPath, [path.resolve('node_modules/vite/bin/vite.js'), 'build', '--config', config], {
      cwd: peersDir,
      stdio: 'pipe',
    });
  } catch (err) {
    return `bundle failed: ${
      String((err as { stderr?: Buffer }).stderr ?? err)
        .split('\n')
        .find((l) => l.trim()) ?? 'error'
    }`.slice(0, 80);
  }
  try {
    return walk(path.join(dir, 'dist'))
      .filter((f) => /\.(js|css)$/.test(f))
      .reduce((n, f) => n + gz(f), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const PEER_ENTRIES: Record<string, string> = {
  'enketo-core 8.1.0': "import { Form } from 'enketo-core'; window.EnketoForm = Form;",
  '@getodk/web-forms 0.22.0':
    "import { createApp } from 'vue'; import { webFormsPlugin, OdkWebForm } from '@getodk/web-forms'; createApp(OdkWebForm).use(webFormsPlugin).mount('#app');",
};
