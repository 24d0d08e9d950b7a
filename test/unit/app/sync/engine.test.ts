import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, backoffDelay, retryDelay } from '../../../../src/app/sync/backoff.ts';
import { createSyncEngine, memoryLocks, type EngineDeps } from '../../../../src/app/sync/engine.ts';
import { failureText } from '../../../../src/app/sync/format.ts';
import { FakeStore, json, scriptedFetch, server, type Script } from './fakes.ts';

describe('backoff', () => {
  test('grows from 5 s and stops at 10 min, jitter within the step', () => {
    const low = (n: number) => backoffDelay(n, () => 0);
    const high = (n: number) => backoffDelay(n, () => 1);
    expect(low(1)).toBe(BACKOFF_BASE_MS / 2);
    expect(high(1)).toBe(BACKOFF_BASE_MS);
    for (let n = 1; n < 12; n++) expect(low(n + 1)).toBeGreaterThanOrEqual(low(n));
    expect(high(12)).toBe(BACKOFF_MAX_MS);
    expect(high(500)).toBe(BACKOFF_MAX_MS);
    expect(low(2)).toBeGreaterThan(high(1) - 1);
  });

  test("honours the server's Retry-After when it is longer", () => {
    expect(retryDelay(1, 120_000, () => 0.5)).toBe(120_000);
    expect(retryDelay(1, 1_000, () => 1)).toBe(BACKOFF_BASE_MS);
  });
});

describe('the sync engine', () => {
  beforeEach(() => {
    // setImmediate stays real: it lets fetch bodies and promise chains settle without moving the clock.
    vi.useFakeTimers({ now: Date.parse('2025-03-01T00:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Lets pending work settle (real macrotasks, frozen clock) until `check` passes. */
  async function until(check: () => void): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        check();
        return;
      } catch (e) {
        if (i > 500) throw e;
        await new Promise((r) => setImmediate(r));
      }
    }
  }

  function engineWith(store: FakeStore, script: Script, extra: Partial<EngineDeps> = {}) {
    const { fetch, calls } = scriptedFetch(script);
    const engine = createSyncEngine({
      store,
      fetch,
      credentials: async () => ({ token: 't', deviceId: 'device-1' }),
      random: () => 0.5,
      idleIntervalMs: 300_000,
      ...extra,
    });
    return { engine, calls };
  }

  test('a start after a reload remembers the last run that went through (the header reads 已同步, not 尚未同步)', () => {
    const { engine } = engineWith(new FakeStore(), server({}), { lastSyncedAt: 1_234 });
    expect(engine.state.value.lastSyncedAt).toBe(1_234);
    expect(engineWith(new FakeStore(), server({})).engine.state.value.lastSyncedAt).toBeUndefined();
  });

  test('the retry delay grows with each failure and resets after a run that goes through', async () => {
    const store = new FakeStore();
    store.addEvents(2);
    let failing = true;
    const { engine } = engineWith(store, server({ push: (call) => (failing ? json({ error: { code: 'internal', message: 'x' } }, 500) : server({})(call)) }));
    engine.start();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await until(() => expect(engine.state.value.failures).toBe(i + 1));
      const delay = engine.state.value.nextAttemptAt! - Date.now();
      delays.push(delay);
      if (i < 3) await vi.advanceTimersByTimeAsync(delay);
    }
    expect(delays[1]).toBeGreaterThan(delays[0]!);
    expect(delays[2]).toBeGreaterThan(delays[1]!);
    expect(delays[3]).toBeGreaterThan(delays[2]!);
    expect(store.pendingIds()).toHaveLength(2);

    failing = false;
    await vi.advanceTimersByTimeAsync(delays[3]!);
    await until(() => expect(engine.state.value.failures).toBe(0));
    await until(() => expect(engine.state.value.running).toBe(false));
    expect(store.pendingIds()).toEqual([]);
    expect(engine.state.value.lastSyncedAt).toBe(Date.now());
    expect(engine.state.value.nextAttemptAt! - Date.now()).toBe(300_000);
    engine.stop();
  });

  test('a 429 waits for Retry-After', async () => {
    const store = new FakeStore();
    store.addEvents(1);
    const { engine } = engineWith(store, server({ push: () => json({ error: { code: 'rate_limited', message: '太频繁' } }, 429, { 'retry-after': '90' }) }));
    engine.start();
    await until(() => expect(engine.state.value.failures).toBe(1));
    expect(engine.state.value.nextAttemptAt! - Date.now()).toBe(90_000);
    engine.stop();
  });

  test('a 507 (server disk full) says so in the server’s words, keeps the outbox and waits for Retry-After', async () => {
    const store = new FakeStore();
    const [id] = store.addEvents(1);
    const message = '服务器存储空间已满，本次没有保存，请联系管理员清理空间（手机上的记录不会丢失）';
    const { engine, calls } = engineWith(store, server({ push: () => json({ error: { code: 'storage_full', message } }, 507, { 'retry-after': '60' }) }));
    engine.start();
    await until(() => expect(engine.state.value.failures).toBe(1));
    expect(engine.state.value.lastFailure).toEqual({ kind: 'storage_full', retryAfterMs: 60_000, message });
    expect(failureText(engine.state.value)).toBe(message);
    expect(store.pendingIds()).toEqual([id]);
    expect(engine.state.value.nextAttemptAt! - Date.now()).toBe(60_000);
    // Triggers that wait for the timer do not hammer a full disk.
    expect(await engine.syncNow('visible')).toBe('backing_off');
    expect(calls.filter((c) => c.url.includes('/push'))).toHaveLength(1);
    engine.stop();
  });

  test('a 507 from a proxy without our body still names the full disk', async () => {
    const store = new FakeStore();
    store.addEvents(1);
    const { engine } = engineWith(store, server({ push: () => new Response('<html>Insufficient Storage</html>', { status: 507 }) }));
    engine.start();
    await until(() => expect(engine.state.value.failures).toBe(1));
    expect(failureText(engine.state.value)).toMatch(/^服务器存储空间已满/);
    engine.stop();
  });

  test('two tabs (two engines sharing one lock) never run at the same time', async () => {
    const store = new FakeStore();
    store.addEvents(3);
    const locks = memoryLocks();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inFlight = 0;
    let maxInFlight = 0;
    const slowPush: Script = async (call) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await gate;
      inFlight--;
      return server({})(call);
    };
    const tabA = engineWith(store, server({ push: slowPush }), { locks, busyRetryMs: 60_000 });
    const tabB = engineWith(store, server({ push: slowPush }), { locks, busyRetryMs: 60_000 });
    tabA.engine.start();
    tabB.engine.start();
    const second = await tabB.engine.syncNow('button');
    expect(second).toBe('busy');
    release();
    await until(() => expect(tabA.engine.state.value.running).toBe(false));
    expect(maxInFlight).toBe(1);
    expect(tabA.calls.filter((c) => c.url.includes('push'))).toHaveLength(1);
    expect(tabB.calls.filter((c) => c.url.includes('push'))).toHaveLength(0);
    expect(store.pendingIds()).toEqual([]);
    tabA.engine.stop();
    tabB.engine.stop();
  });

  test('a trigger during a run in the same tab runs once more afterwards, not in parallel', async () => {
    const store = new FakeStore();
    store.addEvents(1);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let pushes = 0;
    const triggers: string[] = [];
    const { engine } = engineWith(
      store,
      server({
        push: async (call) => {
          pushes++;
          if (pushes === 1) await gate;
          return server({})(call);
        },
      }),
      { onRun: (_report, trigger) => triggers.push(trigger) },
    );
    engine.start();
    await until(() => expect(pushes).toBe(1));
    // A record saved while the first push is on the wire.
    store.addEvents(1);
    expect(await engine.syncNow('recorded')).toBe('busy');
    release();
    await until(() => expect(store.pendingIds()).toEqual([]));
    expect(pushes).toBe(2);
    // The sync log names what asked for the second run, not 打开应用 twice.
    expect(triggers).toEqual(['start', 'recorded']);
    engine.stop();
  });

  test('a 401 ends the session without a retry timer', async () => {
    const store = new FakeStore();
    store.addEvents(1);
    const onUnauthorized = vi.fn();
    const { engine, calls } = engineWith(store, server({ push: () => json({ error: { code: 'unauthorized', message: '请先登录' } }, 401) }), {
      onUnauthorized,
    });
    engine.start();
    await until(() => expect(onUnauthorized).toHaveBeenCalledWith('请先登录'));
    expect(engine.state.value.nextAttemptAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(calls).toHaveLength(1);
    expect(store.pendingIds()).toHaveLength(1);
    engine.stop();
  });

  test('after a failure, wake-ups (Background Sync, visible, a new record, another tab) wait for the backoff; 立即同步 tries once', async () => {
    const store = new FakeStore();
    store.addEvents(1);
    const { engine, calls } = engineWith(store, server({ push: () => new Response('<html>portal</html>', { status: 502 }) }));
    engine.start();
    await until(() => expect(engine.state.value.failures).toBe(1));
    await until(() => expect(engine.state.value.running).toBe(false));
    const pushes = () => calls.filter((c) => c.url.includes('push')).length;
    expect(pushes()).toBe(1);
    // What a failed run itself sets off: the service worker's wake-up and the rest, many times over.
    for (let i = 0; i < 50; i++) {
      for (const trigger of ['background-sync', 'visible', 'recorded', 'other-tab'] as const) expect(await engine.syncNow(trigger)).toBe('backing_off');
    }
    expect(pushes()).toBe(1);
    const firstDelay = engine.state.value.nextAttemptAt! - Date.now();

    // The button: exactly one try at once, and the backoff grows instead of starting over.
    expect(await engine.syncNow('button')).toBe('failed');
    expect(pushes()).toBe(2);
    expect(engine.state.value.failures).toBe(2);
    expect(engine.state.value.nextAttemptAt! - Date.now()).toBeGreaterThan(firstDelay);
    expect(await engine.syncNow('background-sync')).toBe('backing_off');
    expect(pushes()).toBe(2);

    // The timer is what tries next.
    await vi.advanceTimersByTimeAsync(engine.state.value.nextAttemptAt! - Date.now());
    await until(() => expect(engine.state.value.failures).toBe(3));
    expect(pushes()).toBe(3);
    engine.stop();
  });

  test('without a session nothing is sent', async () => {
    const store = new FakeStore();
    store.addEvents(1);
    const { engine, calls } = engineWith(store, server({}), { credentials: async () => undefined });
    engine.start();
    await until(() => expect(engine.state.value.lastTrigger).toBe('start'));
    expect(await engine.syncNow('button')).toBe('no_session');
    expect(calls).toHaveLength(0);
    engine.stop();
  });
});
