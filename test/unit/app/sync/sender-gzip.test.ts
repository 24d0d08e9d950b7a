// Pushes go gzipped (Content-Encoding: gzip, CompressionStream) and read back as the same
// batch; a server that refuses gzip (one from before compressed pushes) gets plain JSON, and
// the batch is acked all the same. Its own file: the fallback is remembered for the page.
import { describe, expect, test } from 'vitest';
import { runSync } from '../../../../src/app/sync/sender.ts';
import { applyAll, FakeStore, json, scriptedFetch, server } from './fakes.ts';

describe('compressed pushes', () => {
  test('a batch is sent gzipped and arrives whole', async () => {
    const store = new FakeStore();
    const ids = store.addEvents(40);
    const { fetch, calls } = scriptedFetch(server({}));
    const report = await runSync({ store, fetch, token: 't', deviceId: 'device-1', timeoutMs: 1_000 });
    const push = calls.find((c) => c.url.includes('/api/sync/push'))!;
    expect(push.encoding).toBe('gzip');
    expect((push.body as { events: { id: string }[] }).events.map((e) => e.id)).toEqual(ids);
    expect(report.acked).toBe(40);
    expect(store.pendingIds()).toEqual([]);
  });

  test('a server that refuses gzip gets the same batch as plain JSON, and later batches too', async () => {
    const store = new FakeStore();
    store.addEvents(40);
    const refusing = server({
      push: (call) =>
        call.encoding === 'gzip' ? json({ error: { code: 'unsupported_media_type', message: '请以 application/json 格式提交' } }, 415) : applyAll(call),
    });
    const { fetch, calls } = scriptedFetch(refusing);
    const report = await runSync({ store, fetch, token: 't', deviceId: 'device-1', timeoutMs: 1_000 });
    expect(report.failure).toBeUndefined();
    expect(store.pendingIds()).toEqual([]);
    store.addEvents(40);
    await runSync({ store, fetch, token: 't', deviceId: 'device-1', timeoutMs: 1_000 });
    const pushes = calls.filter((c) => c.url.includes('/api/sync/push')).map((c) => c.encoding ?? 'plain');
    expect(pushes).toEqual(['gzip', 'plain', 'plain']);
    expect(store.pendingIds()).toEqual([]);
  });
});
