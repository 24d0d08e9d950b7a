// Photos against a hostile or runaway client: bytes must be the image they claim to be, a hash
// named in one's own event does not unlock someone else's photo, per-user and per-device budgets
// of uploaded bytes and pushed events per day (429 with Retry-After), uploads no event names are
// swept (with a moved clock), and on PostgreSQL a photo uploaded through one API process is served
// by another.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { openPostgresStore } from '../../src/server/storage/postgres/index.ts';
import { openTestApp, testConfig, useTestApp, type TestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { G1, G3, outreach, push, seedTownship, sweep, type Township } from './support/sync-fixtures.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const HOUR = 60 * 60 * 1000;

function jpeg(size: number): Uint8Array {
  const b = new Uint8Array(randomBytes(size));
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
}
function png(size: number): Uint8Array {
  const b = new Uint8Array(randomBytes(size));
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  return b;
}
function webp(size: number): Uint8Array {
  const b = new Uint8Array(randomBytes(size));
  b.set(new TextEncoder().encode('RIFF'), 0);
  b.set(new TextEncoder().encode('WEBP'), 8);
  return b;
}

const put = (t: TestApp, token: string, bytes: Uint8Array, type = 'image/jpeg') =>
  t.request('PUT', `/api/attachments/${sha(bytes)}`, { token, body: bytes, headers: { 'content-type': type } });
const photoEvent = (unit: string, bytes: Uint8Array, mime: 'image/jpeg' | 'image/png' | 'image/webp' = 'image/jpeg') =>
  outreach(unit, '2024-05-04T09:00:00+08:00', 40, { photos: [{ sha256: sha(bytes), mime, size: bytes.length }] });

describe.each(storeCases())('hostile photos on $name', (storeCase) => {
  describe('types and the read rule', () => {
    const t = useTestApp(storeCase);
    let town: Township;
    beforeAll(async () => {
      town = await seedTownship(t());
    });

    it('takes JPEG, PNG and WebP bytes declared as what they are; refuses EXE, HTML or another image type under a photo type (415)', async () => {
      const grid1 = town.tokens.grid1!;
      for (const [bytes, type] of [
        [jpeg(2000), 'image/jpeg'],
        [png(2000), 'image/png'],
        [webp(2000), 'image/webp'],
      ] as const) {
        expect((await put(t(), grid1, bytes, type)).status, type).toBe(201);
      }
      const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, ...randomBytes(500)]);
      const html = new TextEncoder().encode('<!doctype html><script>alert(document.cookie)</script>');
      for (const [bytes, type] of [
        [exe, 'image/jpeg'],
        [html, 'image/png'],
        [html, 'image/webp'],
        [png(500), 'image/jpeg'],
        [jpeg(500), 'image/webp'],
      ] as const) {
        const res = await t().json<{ error: { code: string; message: string } }>('PUT', `/api/attachments/${sha(bytes)}`, {
          token: grid1,
          body: bytes,
          headers: { 'content-type': type },
        });
        expect(res.status, type).toBe(415);
        expect(res.body.error.code).toBe('not_an_image');
        expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
        expect(await t().store.hasAttachment(sha(bytes))).toBe(false);
      }
    });

    it('does not serve A’s photo to B who names its hash in B’s own event (404), and still serves it through A’s event', async () => {
      const photo = jpeg(30_000);
      const name = sha(photo);
      expect((await put(t(), town.tokens.grid1!, photo)).status).toBe(201);
      expect((await push(t(), town.tokens.grid1!, [photoEvent(G1, photo)])).body.results[0]!.status).toBe('applied');
      // B (grid3, another village) saw the hash somewhere and names it in an event of B's own grid.
      expect((await push(t(), town.tokens.grid3!, [photoEvent(G3, photo)])).body.results[0]!.status).toBe('applied');
      const stolen = await t().request('GET', `/api/attachments/${name}`, { token: town.tokens.grid3! });
      expect(stolen.status).toBe(404);
      // A, and the office and admin who read A's grid, get the bytes.
      for (const who of ['grid1', 'office', 'admin']) {
        const res = await t().request('GET', `/api/attachments/${name}`, { token: town.tokens[who]! });
        expect(res.status, who).toBe(200);
        expect(new Uint8Array(await res.arrayBuffer())).toEqual(photo);
      }
      // Having the bytes is what counts: once B uploads the same photo, B's own event serves it to B.
      expect((await put(t(), town.tokens.grid3!, photo)).status).toBe(200);
      expect((await t().request('GET', `/api/attachments/${name}`, { token: town.tokens.grid3! })).status).toBe(200);
    });
  });

  describe('budgets and the sweep', () => {
    let now = Date.parse('2024-05-04T02:00:00Z'); // 10:00 in Asia/Shanghai
    let t: TestApp;
    let town: Township;
    beforeAll(async () => {
      t = await openTestApp(
        storeCase,
        { limits: { uploadBytesPerDay: 100_000, pushEventsPerDay: 3, unreferencedUploadHours: 48 } },
        { clock: () => new Date(now) },
      );
      town = await seedTownship(t);
    });
    afterAll(async () => {
      await t.dispose();
    });

    it('answers uploads past the day’s byte budget 429 with Retry-After until local midnight; a re-upload is not charged; the next day is open', async () => {
      const token = town.tokens.grid2!;
      const first = jpeg(60_000);
      expect((await put(t, token, first)).status).toBe(201);
      expect((await put(t, token, first)).status).toBe(200);
      const over = await put(t, token, jpeg(60_000));
      expect(over.status).toBe(429);
      // 10:00 local: 14 hours to midnight.
      expect(over.headers.get('retry-after')).toBe(String(14 * 3600));
      const body = (await over.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('upload_budget');
      expect(body.error.message).toMatch(/今天上传的照片已达上限/);
      // Another user on another device is not held back by grid2's budget.
      expect((await put(t, town.tokens.grid3!, jpeg(60_000))).status).toBe(201);
      now += 14 * HOUR;
      expect((await put(t, token, jpeg(60_000))).status).toBe(201);
    });

    it('answers pushes past the day’s event budget of the user, and of a device shared by two users, 429', async () => {
      const phone = { deviceId: 'shared-phone' };
      const grid1 = town.tokens.grid1!;
      const two = [sweep(G1, '2024-05-05T09:00:00+08:00'), sweep(G1, '2024-05-05T09:10:00+08:00')];
      expect((await push(t, grid1, two, phone)).status).toBe(200);
      // A retried batch (duplicates) is answered and not charged.
      expect((await push(t, grid1, [two[0]!], phone)).body.results[0]!.status).toBe('duplicate');
      expect((await push(t, grid1, [sweep(G1, '2024-05-05T09:20:00+08:00')], phone)).status).toBe(200);
      const over = await t.json<{ error: { code: string; message: string } }>('POST', '/api/sync/push', {
        token: grid1,
        body: { deviceId: 'another-phone', events: [sweep(G1, '2024-05-05T09:30:00+08:00')] },
      });
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe('push_budget');
      expect(over.body.error.message).toMatch(/今天上传的记录已达上限/);
      // grid2 on the shared phone: the device has used its three; on grid2's own phone it goes through.
      const grid2 = town.tokens.grid2!;
      const shared = await t.request('POST', '/api/sync/push', { token: grid2, body: { ...phone, events: [sweep('jk-v1-g2', '2024-05-05T10:00:00+08:00')] } });
      expect(shared.status).toBe(429);
      expect(Number(shared.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await push(t, grid2, [sweep('jk-v1-g2', '2024-05-05T10:00:00+08:00')], { deviceId: 'grid2-phone' })).status).toBe(200);
    });

    it('sweeps an upload no event names after the configured hours, keeps named and recent ones, and takes it again later', async () => {
      const token = town.tokens.mediator1!;
      now += 24 * HOUR;
      const orphan = jpeg(1000);
      const named = jpeg(1000);
      expect((await put(t, token, orphan)).status).toBe(201);
      expect((await put(t, token, named)).status).toBe(201);
      expect((await push(t, token, [photoEvent(G1, named)], { deviceId: 'mediator-phone' })).body.results[0]!.status).toBe('applied');
      now += 47 * HOUR;
      const recent = jpeg(1000);
      expect((await put(t, token, recent)).status).toBe(201); // runs a sweep: the orphan is 47 h old, kept
      expect(await t.store.hasAttachment(sha(orphan))).toBe(true);
      now += 2 * HOUR;
      expect((await put(t, token, jpeg(1000))).status).toBe(201); // 49 h: swept
      expect(await t.store.hasAttachment(sha(orphan))).toBe(false);
      const file = (b: Uint8Array) => path.join(t.dataDir, 'attachments', sha(b).slice(0, 2), sha(b).slice(2, 4), sha(b));
      expect(existsSync(file(orphan))).toBe(false);
      expect(await t.store.hasAttachment(sha(named))).toBe(true);
      expect(await t.store.hasAttachment(sha(recent))).toBe(true);
      expect((await t.request('GET', `/api/attachments/${sha(named)}`, { token })).status).toBe(200);
      expect((await put(t, token, orphan)).status).toBe(201);
    });
  });

  it.skipIf(storeCase.name !== 'postgres')(
    'serves through a second API process a photo uploaded through the first (same schema, another DATA_DIR)',
    async () => {
      const first = await openTestApp(storeCase);
      const otherDir = mkdtempSync(path.join(tmpdir(), 'taizhang-second-'));
      const secondStore = await openPostgresStore(first.databaseUrl!, { dataDir: otherDir, schema: first.schema! });
      try {
        const town = await seedTownship(first);
        const second = buildApp({ store: secondStore, config: testConfig(otherDir, { databaseUrl: first.databaseUrl }) });
        const photo = jpeg(40_000);
        expect((await put(first, town.tokens.grid1!, photo)).status).toBe(201);
        expect((await push(first, town.tokens.grid1!, [photoEvent(G1, photo)])).body.results[0]!.status).toBe('applied');
        const res = await second.request(`/api/attachments/${sha(photo)}`, { headers: { authorization: `Bearer ${town.tokens.office!}` } });
        expect(res.status).toBe(200);
        expect(new Uint8Array(await res.arrayBuffer())).toEqual(photo);
        // The same upload through the second process is already held.
        const again = await second.request(`/api/attachments/${sha(photo)}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${town.tokens.grid1!}`, 'content-type': 'image/jpeg' },
          body: photo as BodyInit,
        });
        expect(again.status).toBe(200);
      } finally {
        await secondStore.close();
        rmSync(otherDir, { recursive: true, force: true });
        await first.dispose();
      }
    },
  );
});
