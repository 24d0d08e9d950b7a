// PUT /api/attachments/{sha256}: raw photo bytes (Content-Type image/jpeg, image/png or
// image/webp, at most 2 MB) → 201 stored, 200 already held, 400 'hash_mismatch' when the
// bytes do not hash to the name, 413 too large, 415 another type. Idempotent: a phone
// re-sends a photo whose answer it lost and gets 200. Photos go up before the events that
// name them.
// GET /api/attachments/{sha256}: the bytes, only when an event in the caller's read scope
// names the photo (attachment_refs, filled on push); otherwise 404, whether or not it exists.
import { Hono } from 'hono';
import type { AttachmentStored } from '#shared/api/sync';
import { requireUser } from '../access/middleware.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { ATTACHMENT_TYPES, attachmentFiles, MAX_ATTACHMENT_BYTES, sniffImageType } from '../services/attachments.ts';
import type { Store } from '../storage/store.ts';
import { unitFilterOf } from './sync.ts';

const SHA256 = /^[0-9a-f]{64}$/;
const NOT_FOUND = failure(404, 'not_found', '找不到该照片，或您无权查看');
const TOO_LARGE = failure(413, 'payload_too_large', `照片不能超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);

export function attachmentRoutes({ store, config, clock }: { store: Store; config: Config; clock: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const files = attachmentFiles(config.dataDir);
  app.use('*', requireUser(store, { clock }));

  app.put('/:sha256', async (c) => {
    const sha = c.req.param('sha256');
    if (!SHA256.test(sha)) return sendFailure(c, failure(400, 'invalid_hash', '照片编号应为 64 位小写十六进制 SHA-256'));
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!(ATTACHMENT_TYPES as readonly string[]).includes(type)) {
      return sendFailure(c, failure(415, 'unsupported_media_type', '照片格式应为 JPEG、PNG 或 WebP'));
    }
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > MAX_ATTACHMENT_BYTES) return sendFailure(c, TOO_LARGE);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await c.req.arrayBuffer());
    } catch {
      // The connection dropped mid-upload: nothing was written; the phone sends it again.
      return sendFailure(c, failure(400, 'upload_interrupted', '照片上传中断，请重新上传'));
    }
    if (bytes.length > MAX_ATTACHMENT_BYTES) return sendFailure(c, TOO_LARGE);
    if (bytes.length === 0) return sendFailure(c, failure(400, 'empty_body', '照片内容为空'));
    const outcome = files.put(sha, bytes);
    if (outcome === 'hash_mismatch') return sendFailure(c, failure(400, 'hash_mismatch', '照片内容与编号不符（上传不完整或已损坏），请重新上传'));
    return c.json<AttachmentStored>({ sha256: sha, size: bytes.length, status: outcome }, outcome === 'created' ? 201 : 200);
  });

  app.get('/:sha256', async (c) => {
    const sha = c.req.param('sha256');
    if (!SHA256.test(sha)) return sendFailure(c, NOT_FOUND);
    if (!(await store.hasAttachmentRef(sha, unitFilterOf(c.var.scope)))) return sendFailure(c, NOT_FOUND);
    const bytes = files.read(sha);
    if (!bytes) return sendFailure(c, NOT_FOUND);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': sniffImageType(bytes) ?? 'application/octet-stream', 'content-length': String(bytes.length) });
  });

  return app;
}
