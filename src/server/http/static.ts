// Serves the built app from memory. Hashed files under /assets/ are immutable for a year;
// the service worker, index.html and the manifest must be revalidated on every load, or a
// phone could keep an old shell forever. Only files found in dist at start are served, so
// no request path ever reaches the file system.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';

interface StaticFile {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
  cacheControl: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full, base) : [path.relative(base, full)];
  });
}

export function loadStaticFiles(distDir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  let names: string[];
  try {
    names = walk(distDir);
  } catch {
    return files;
  }
  for (const rel of names) {
    const url = '/' + rel.split(path.sep).join('/');
    const body = readFileSync(path.join(distDir, rel));
    const ext = path.extname(rel);
    const type = TYPES[ext] ?? 'application/octet-stream';
    const compressible = /text|javascript|json|svg|manifest/.test(type);
    const immutable = url.startsWith('/assets/');
    files.set(url, {
      body,
      gzip: compressible && body.length > 512 ? gzipSync(body, { level: 9 }) : undefined,
      type,
      cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag: `"${statSync(path.join(distDir, rel)).mtimeMs.toString(36)}-${body.length.toString(36)}"`,
    });
  }
  return files;
}

/** Answers a GET for a built file, or for an app route with index.html; undefined when neither. */
export function serveStatic(files: Map<string, StaticFile>, c: Context): Response | undefined {
  const pathname = new URL(c.req.url).pathname;
  let file = files.get(pathname === '/' ? '/index.html' : pathname);
  // App routes (/cases/…) get the shell; anything with a file extension that we lack is a 404.
  if (!file && !path.posix.extname(pathname)) file = files.get('/index.html');
  if (!file) return undefined;
  const headers = new Headers({ 'Content-Type': file.type, 'Cache-Control': file.cacheControl, ETag: file.etag, Vary: 'Accept-Encoding' });
  if (c.req.header('if-none-match') === file.etag) return new Response(null, { status: 304, headers });
  const wantsGzip = file.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
  if (wantsGzip) headers.set('Content-Encoding', 'gzip');
  const body = wantsGzip ? file.gzip! : file.body;
  return new Response(c.req.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}
