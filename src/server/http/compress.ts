// Answers compressed for clients that ask (Accept-Encoding: gzip or deflate): JSON pull pages and
// CSV exports shrink 5–10× on a village's 2G/3G link. Streamed answers stay streamed (the
// compressor works chunk by chunk); server-sent events and already compressed files (.xlsx,
// .docx, photos) are left as they are, and small answers are not worth the header.
import type { MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';

export function compressAnswers(): MiddlewareHandler {
  return compress({ threshold: 1024 });
}
