import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Copies the top-level manifest into the build under its own name (not a hashed asset: the
 * browser keys the installed app to it) and links it from index.html.
 */
function emitManifest(): Plugin {
  return {
    name: 'taizhang-manifest',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'manifest.webmanifest', source: readFileSync('manifest.webmanifest', 'utf8') });
    },
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace('</head>', '  <link rel="manifest" href="/manifest.webmanifest" />\n  </head>'),
    },
  };
}

/**
 * The entry (main.tsx) is small: it starts the first screen's IndexedDB reads, then imports the
 * app (App.tsx). What App.tsx imports statically (the case form, the session gate, the shell)
 * and the entry does not is one chunk, 'start': split by the bundler's default into a dozen
 * files, each gzipped alone, it weighed ~4 KB more before the first capture form. Lazy screens
 * import from it as before.
 */
const bootModules = new Set<string>();
const startModules = new Set<string>();
function collectStartModules(): Plugin {
  return {
    name: 'taizhang-start-modules',
    apply: 'build',
    buildEnd() {
      const ids = [...this.getModuleIds()];
      const reach = (from: string | undefined) => {
        const seen = new Set<string>();
        const queue = from ? [from] : [];
        while (queue.length) {
          const id = queue.pop()!;
          if (seen.has(id)) continue;
          seen.add(id);
          queue.push(...(this.getModuleInfo(id)?.importedIds ?? []));
        }
        return seen;
      };
      for (const id of reach(ids.find((id) => id.endsWith('/src/app/main.tsx')))) bootModules.add(id);
      for (const id of reach(ids.find((id) => id.endsWith('/src/app/App.tsx')))) if (!bootModules.has(id)) startModules.add(id);
    },
  };
}

/**
 * The start chunk is imported by the entry once it runs; every start needs it, so index.html
 * names it for preloading too: it is fetched and compiled while the entry is, not after.
 */
function preloadStartChunk(): Plugin {
  return {
    name: 'taizhang-preload-start',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const start = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.name === 'start');
        return start ? html.replace('</head>', `  <link rel="modulepreload" crossorigin href="/${start.fileName}" />\n  </head>`) : html;
      },
    },
  };
}

/**
 * This build's version as 关于本机 shows it (phone support asks "which version?"): the package's
 * version and, in a git checkout, the commit. No build time: the same commit builds the same files.
 */
function appVersion(): string {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  try {
    return `${version}+${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}`;
  } catch {
    return version;
  }
}

// `npm run dev` (scripts/dev.ts) runs the API on TAIZHANG_API_PORT and Vite in front of it.
const apiPort = process.env.TAIZHANG_API_PORT ?? '8081';

export default defineConfig({
  server: { proxy: { '/api': `http://127.0.0.1:${apiPort}` } },
  define: { __TAIZHANG_VERSION__: JSON.stringify(appVersion()) },
  // Every browser the app supports has modulepreload: no polyfill in the entry chunk.
  build: {
    target: 'es2020',
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // The folders' index.ts only re-export: importing one for a function must not evaluate (and
      // so load) every module it names, e.g. the event schemas and the write path for a list.
      treeshake: { moduleSideEffects: (id: string) => !/\/src\/app\/(storage|session)\/index\.ts$/.test(id) },
      output: {
        codeSplitting: {
          includeDependenciesRecursively: false,
          groups: [
            { name: 'boot', test: (id: string) => bootModules.has(id) },
            { name: 'start', test: (id: string) => startModules.has(id) },
          ],
        },
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  plugins: [
    collectStartModules(),
    preloadStartChunk(),
    emitManifest(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        // Office screens are lazy chunks; they are precached too so a desk PC works offline.
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
});
