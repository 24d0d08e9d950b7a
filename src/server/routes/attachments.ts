// PUT /api/attachments/{sha256}: raw photo bytes (Content-Type image/jpeg, image/png or
// image/webp, at most 2 MB) → 201 stored, 200 already held, 400 'hash_mismatch' when the
// bytes do not hash to the name, 413 too large, 415 another type or bytes that are not the
// declared image (the JPEG/PNG/WebP signature is checked: no EXE or HTML under a photo's name),
// 429 'upload_budget' over the day's budget of the user or the device (config.limits). Idempotent:
// a phone re-sends a photo whose answer it lost and gets 200 (not charged twice). Photos go up
// before the events that name them; one that no event names within
// config.limits.unreferencedUploadHours is deleted by the sweep (at most hourly, run by uploads
// and by the app's timer).
//
// GET /api/attachments/{sha256}: the bytes, to a caller whose read scope holds an event naming the
// photo, when that event's author uploaded the photo, or when one of its uploaders holds a grant
// on a unit the caller reads. Naming a hash in one's own event is not enough: the hash of someone
// else's photo (seen in a pulled event) does not make its bytes readable. Otherwise 404, whether
// or not it exists.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { AttachmentStored } from '#shared/api/sync';
import { requireUser } from '../access/middleware.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, sniffImageType } from '../services/attachments.ts';
import { budgetDayOf, subjectsOf, withinBudget } from '../services/budgets.ts';
import type { Store } from '../storage/store.ts';
import { unitFilterOf } from './sync.ts';

const SHA256 = /^[0-9a-f]{64}$/;
const NOT_FOUND = failure(404, 'not_found', '找不到该照片，或您无权查看');
const TOO_LARGE = failure(413, 'payload_too_large', `照片不能超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Deletes the uploads no event has named for `hours`; at most once per SWEEP_EVERY_MS of the clock. */
export function uploadSweeper(store: Store, hours: number, clock: () => Date): () => Promise<string[]> {
  let last = Number.NEGATIVE_INFINITY;
  return async () => {
    const now = clock().getTime();
    if (now - last < SWEEP_EVERY_MS) return [];
    last = now;
    return store.sweepUnreferencedAttachments(new Date(now - hours * 60 * 60 * 1000));
  };
}

export function attachmentRoutes({
  store,
  config,
  clock,
  sweep,
}: {
  store: Store;
  config: Config;
  clock: () => Date;
  sweep: () => Promise<string[]>;
}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
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
    if (createHash('sha256').update(bytes).digest('hex') !== sha)
      return sendFailure(c, failure(400, 'hash_mismatch', '照片内容与编号不符（上传不完整或已损坏），请重新上传'));
    if (sniffImageType(bytes) !== type) return sendFailure(c, failure(415, 'not_an_image', '文件内容不是所标明格式的照片（只收 JPEG、PNG 或 WebP 照片）'));
    const principal = c.var.principal;
    const now = clock();
    const { day, retryAfter } = budgetDayOf(now, config.timeZone);
    const subjects = subjectsOf(principal);
    const charged = !(await store.hasUploaded(sha, principal.userId));
    const limits = { events: Number.POSITIVE_INFINITY, uploadBytes: config.limits.uploadBytesPerDay };
    if (charged && !(await withinBudget(store, subjects, day, { events: 0, uploadBytes: bytes.length }, limits))) {
      c.header('Retry-After', String(retryAfter));
      const mb = Math.round(config.limits.uploadBytesPerDay / 1024 / 1024);
      return sendFailure(c, failure(429, 'upload_budget', `今天上传的照片已达上限（每人每台设备每天 ${mb} MB），请明天再上传；如确有需要请联系管理员`));
    }
    const outcome = await store.putAttachment({ sha256: sha, mime: type, bytes, userId: principal.userId, deviceKey: subjects[1], at: now, day });
    await sweep();
    return c.json<AttachmentStored>({ sha256: sha, size: bytes.length, status: outcome }, outcome === 'created' ? 201 : 200);
  });

  app.get('/:sha256', async (c) => {
    const sha = c.req.param('sha256');
    if (!SHA256.test(sha)) return sendFailure(c, NOT_FOUND);
    if (!(await store.canReadAttachment(sha, unitFilterOf(c.var.scope)))) return sendFailure(c, NOT_FOUND);
    const bytes = await store.readAttachment(sha);
    if (!bytes) return sendFailure(c, NOT_FOUND);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': sniffImageType(bytes) ?? 'application/octet-stream',
      'content-length': String(bytes.length),
    });
  });

  return app;
}
