import { describe, expect, test } from 'vitest';
import { runSync, type SyncContext } from '../../../../src/app/sync/sender.ts';
import { applyAll, FakeStore, json, scriptedFetch, server, type Script } from './fakes.ts';

function context(store: FakeStore, script: Script, extra: Partial<SyncContext> = {}) {
  const { fetch, calls } = scriptedFetch(script);
  return { ctx: { store, fetch, token: 't', deviceId: 'device-1', timeoutMs: 200, ...extra } satisfies SyncContext, calls };
}

describe('a sync run keeps every entry it has no well-formed ack for', () => {
  test('a captive portal answering 200 with HTML removes nothing', async () => {
    const store = new FakeStore();
    const ids = store.addEvents(3);
    const { ctx } = context(
      store,
      server({ push: () => new Response('<html><body>请登录 Wi-Fi</body></html>', { status: 200, headers: { 'content-type': 'text/html' } }) }),
    );
    const report = await runSync(ctx);
    expect(report.failure).toEqual({ kind: 'bad_response', status: 200 });
    expect(store.pendingIds()).toEqual(ids);
  });

  test('a 500 removes nothing', async () => {
    const store = new FakeStore();
    const ids = store.addEvents(3);
    const { ctx } = context(store, server({ push: () => json({ error: { code: 'internal', message: '服务器内部错误' } }, 500) }));
    expect((await runSync(ctx)).failure).toEqual({ kind: 'server_error', status: 500 });
    expect(store.pendingIds()).toEqual(ids);
  });

  test('a 429 removes nothing and passes Retry-After on', async () => {
    const store = new FakeStore();
    const ids = store.addEvents(2);
    const { ctx } = context(store, server({ push: () => json({ error: { code: 'rate_limited', message: '太频繁' } }, 429, { 'retry-after': '120' }) }));
    expect((await runSync(ctx)).failure).toMatchObject({ kind: 'rate_limited', retryAfterMs: 120_000 });
    expect(store.pendingIds()).toEqual(ids);
  });

  test('a dropped connection removes nothing', async () => {
    const store = new FakeStore();
    const ids = store.addEvents(2);
    const { ctx } = context(store, server({ push: () => Promise.reject(new TypeError('Failed to fetch')) }));
    expect((await runSync(ctx)).failure).toEqual({ kind: 'offline' });
    expect(store.pendingIds()).toEqual(ids);
  });

  test('a body cut short (invalid JSON with 200) removes nothing', async () => {
    const store = new FakeStore();
    const ids = store.addEvents(2);
    const { ctx } = context(
      store,
      server({ push: () => new Response('{"results":[{"id":"e-00000","sta', { status: 200, headers: { 'content-type': 'application/json' } }) }),
    );
    expect((await runSync(ctx)).failure?.kind).toBe('bad_response');
    expect(store.pendingIds()).toEqual(ids);
  });

  test('a server that never answers times out and removes nothing', async () => {
    const store = new FakeStore();
    const ids = store.addEvents(2);
    const { ctx } = context(store, server({ push: () => new Promise<Response>(() => undefined) }), { timeoutMs: 30 });
    expect((await runSync(ctx)).failure).toEqual({ kind: 'timeout' });
    expect(store.pendingIds()).toEqual(ids);
  });

  test('partial results remove only the acked ids and stop pushing for this run', async () => {
    const store = new FakeStore();
    const [a, b, c] = store.addEvents(3);
    const { ctx, calls } = context(
      store,
      server({
        push: () =>
          json({
            results: [
              { id: a, status: 'applied' },
              { id: c, status: 'duplicate' },
            ],
          }),
      }),
    );
    const report = await runSync(ctx);
    expect(report.partial).toBe(true);
    expect(report.acked).toBe(2);
    expect(store.pendingIds()).toEqual([b]);
    expect(calls.filter((x) => x.url.includes('push'))).toHaveLength(1);
  });

  test('ids the client did not send, and repeated ids, are ignored', async () => {
    const store = new FakeStore();
    const [a] = store.addEvents(1);
    const [other] = store.addEvents(1, 'x');
    // Only `a` is sent first (batch size 1); the answer also names `other`, which must stay
    // queued; the next batch (`other`) then meets a server error.
    let pushes = 0;
    const { ctx } = context(
      store,
      server({
        push: () =>
          pushes++ === 0
            ? json({
                results: [
                  { id: a, status: 'applied' },
                  { id: a, status: 'rejected' },
                  { id: other, status: 'applied' },
                ],
              })
            : json({ error: { code: 'internal', message: '出错' } }, 500),
      }),
      { batchSize: 1 },
    );
    const report = await runSync(ctx);
    expect(report.acked).toBe(1);
    expect(report.rejected).toBe(0);
    expect(store.pendingIds()).toContain(other);
    expect(store.outbox.has(a!)).toBe(false);
  });

  test('a rejected event is marked with its reason and does not stall the others', async () => {
    const store = new FakeStore();
    const [a, b] = store.addEvents(2);
    const { ctx } = context(
      store,
      server({
        push: () =>
          json({
            results: [
              { id: a, status: 'rejected', error: { code: 'forbidden_org_unit', message: '不能在这个网格登记' } },
              { id: b, status: 'applied' },
            ],
          }),
      }),
    );
    const report = await runSync(ctx);
    expect(report.failure).toBeUndefined();
    expect(report.rejected).toBe(1);
    expect(store.outbox.get(a!)).toMatchObject({ status: 'rejected', error: { code: 'forbidden_org_unit' } });
    expect(store.outbox.has(b!)).toBe(false);
  });
});

describe('a sync run in order', () => {
  test('pushes in batches of at most 500 until the outbox is empty', async () => {
    const store = new FakeStore();
    store.addEvents(1_200);
    const { ctx, calls } = context(store, server({}));
    const report = await runSync(ctx);
    const pushes = calls.filter((c) => c.url.includes('push')).map((c) => (c.body as { events: unknown[] }).events.length);
    expect(pushes).toEqual([500, 500, 200]);
    expect(report.acked).toBe(1_200);
    expect(store.pendingIds()).toEqual([]);
  });

  test('tells the server how many records wait, with the device id', async () => {
    const store = new FakeStore();
    store.addEvents(3);
    const { ctx, calls } = context(store, server({}));
    await runSync(ctx);
    expect(calls[0]!.body).toMatchObject({ deviceId: 'device-1', pending: 3 });
  });

  test('tells the server its clock at sending, as an ISO instant with an offset', async () => {
    const store = new FakeStore();
    store.addEvents(1);
    const phoneClock = Date.parse('2024-05-01T10:00:00Z');
    const { ctx, calls } = context(store, server({}), { now: () => phoneClock });
    await runSync(ctx);
    const sentAt = (calls[0]!.body as { sentAt?: string }).sentAt;
    expect(sentAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/);
    expect(Date.parse(sentAt!)).toBe(phoneClock);
  });

  test('uploads photos before the events, and an upload failure keeps the events back', async () => {
    const store = new FakeStore();
    store.addEvents(1);
    store.addBlob('a'.repeat(64));
    const failing = context(store, server({ put: () => new Response('bad gateway', { status: 502 }) }));
    expect((await runSync(failing.ctx)).failure).toEqual({ kind: 'server_error', status: 502 });
    expect(failing.calls.map((c) => c.method)).toEqual(['PUT']);
    expect(store.pendingIds()).toHaveLength(1);

    const working = context(store, server({ put: (call) => json({ sha256: call.url.split('/').pop(), status: 'held' }, 200) }));
    const report = await runSync(working.ctx);
    expect(working.calls.map((c) => c.method)).toEqual(['PUT', 'POST', 'GET']);
    expect(report.uploadedBlobs).toBe(1);
    expect(store.blobs.get('a'.repeat(64))?.uploaded).toBe(true);
    expect(store.pendingIds()).toEqual([]);
  });

  test('a 200 that does not name the photo (a portal, a proxy) does not count as uploaded', async () => {
    const store = new FakeStore();
    store.addEvents(1);
    store.addBlob('c'.repeat(64));
    const { ctx, calls } = context(store, server({ put: () => new Response('OK', { status: 200, headers: { 'content-type': 'text/plain' } }) }));
    expect((await runSync(ctx)).failure?.kind).toBe('bad_response');
    expect(store.blobs.get('c'.repeat(64))?.uploaded).toBe(false);
    expect(calls.map((c) => c.method)).toEqual(['PUT']);
  });

  test('bytes damaged on the way are sent again; bytes damaged on the phone are set aside', async () => {
    const store = new FakeStore();
    store.addEvents(1);
    // A photo whose bytes do hash to its name: the server saw them damaged in transit.
    const bytes = new TextEncoder().encode('x');
    const realSha = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((x) => x.toString(16).padStart(2, '0')).join('');
    store.blobs.set(realSha, { sha256: realSha, blob: new Blob([bytes]), mime: 'image/jpeg', uploaded: false });
    const mismatch = () => json({ error: { code: 'hash_mismatch', message: '照片内容与编号不符' } }, 400);
    const first = context(store, server({ put: mismatch }));
    expect((await runSync(first.ctx)).failure).toMatchObject({ kind: 'refused', code: 'hash_mismatch' });
    expect(store.pendingIds()).toHaveLength(1);

    store.blobs.set(realSha, { sha256: realSha, blob: new Blob(['damaged']), mime: 'image/jpeg', uploaded: false });
    const second = context(store, server({ put: mismatch }));
    const report = await runSync(second.ctx);
    expect(report.failure).toBeUndefined();
    expect(report.refusedBlobs).toEqual([realSha]);
    expect(store.pendingIds()).toEqual([]);
  });

  test('a photo the server refuses outright does not hold back the records', async () => {
    const store = new FakeStore();
    store.addEvents(1);
    store.addBlob('b'.repeat(64));
    const { ctx } = context(store, server({ put: () => json({ error: { code: 'unsupported_media_type', message: '照片格式应为 JPEG、PNG 或 WebP' } }, 415) }));
    const report = await runSync(ctx);
    expect(report.refusedBlobs).toEqual(['b'.repeat(64)]);
    expect(store.pendingIds()).toEqual([]);
    expect(store.blobs.get('b'.repeat(64))?.uploaded).toBe(false);

    // Known refused: not uploaded again in this page's life.
    store.addEvents(1);
    const again = context(store, server({}), { skipBlobs: new Set(['b'.repeat(64)]) });
    await runSync(again.ctx);
    expect(again.calls.map((c) => c.method)).toEqual(['POST', 'GET']);
  });

  test('a 413 halves the batch instead of stalling the queue', async () => {
    const store = new FakeStore();
    store.addEvents(10);
    const push: Script = (call) =>
      (call.body as { events: unknown[] }).events.length > 4 ? json({ error: { code: 'too_large', message: '太大' } }, 413) : applyAll(call);
    const { ctx } = context(store, server({ push }));
    const report = await runSync(ctx);
    expect(report.failure).toBeUndefined();
    expect(store.pendingIds()).toEqual([]);
  });

  test('pulls pages until hasMore is false and keeps the cursor', async () => {
    const store = new FakeStore();
    store.cursor = 7;
    const pages: Record<string, unknown> = {
      '7': {
        events: [
          { id: 'p1', seq: 8 },
          { id: 'p2', seq: 9 },
        ],
        cursor: 9,
        hasMore: true,
      },
      '9': { events: [{ id: 'p3', seq: 12 }], cursor: 12, hasMore: false },
    };
    const { ctx, calls } = context(store, server({ pull: (call) => json(pages[new URL(call.url, 'http://x').searchParams.get('cursor')!]) }));
    const report = await runSync(ctx);
    expect(report.pulled).toBe(3);
    expect(store.pulled.map((e) => e.id)).toEqual(['p1', 'p2', 'p3']);
    expect(store.cursor).toBe(12);
    expect(calls.filter((c) => c.url.includes('pull'))).toHaveLength(2);
  });

  test('a pull page that is not JSON leaves the cursor where it was', async () => {
    const store = new FakeStore();
    store.cursor = 3;
    const { ctx } = context(store, server({ pull: () => new Response('<html>portal</html>', { status: 200, headers: { 'content-type': 'text/html' } }) }));
    expect((await runSync(ctx)).failure?.kind).toBe('bad_response');
    expect(store.cursor).toBe(3);
    expect(store.pulled).toEqual([]);
  });

  test('a device clock a day or more off is flagged from the server time', async () => {
    const store = new FakeStore();
    store.addEvents(1);
    const deviceNow = Date.parse('2025-01-01T00:00:00Z');
    const push: Script = (call) => {
      const events = (call.body as { events: { id: string }[] }).events;
      return json({ results: events.map((e) => ({ id: e.id, status: 'applied' })), serverTime: '2025-01-03T00:00:00Z' });
    };
    const { ctx } = context(store, server({ push }), { now: () => deviceNow });
    const report = await runSync(ctx);
    expect(report.clockSkewed).toBe(true);
    expect(Math.round(report.clockSkewMs! / 3_600_000)).toBe(48);
  });

  test('a 401 is reported as an expired session and removes nothing', async () => {
    const store = new FakeStore();
    const ids = store.addEvents(1);
    const { ctx } = context(store, server({ push: () => json({ error: { code: 'unauthorized', message: '请先登录' } }, 401) }));
    expect((await runSync(ctx)).failure).toEqual({ kind: 'unauthorized', message: '请先登录' });
    expect(store.pendingIds()).toEqual(ids);
  });
});
