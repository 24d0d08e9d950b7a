// @vitest-environment happy-dom
// The app's one HTTP client (src/app/net): what every request carries, how answers are sorted,
// how the app learns it is too old to sync and stops asking, and the one download helper.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CLIENT_OUTDATED_MESSAGE, PROTOCOL_HEADER, PROTOCOL_MIN_HEADER, PROTOCOL_VERSION } from '#shared/api/version';
import { OkAnswer } from '#shared/api/errors';
import { createApiClient } from '../../../../src/app/net/client.ts';
import { downloadFile, fileNameOf } from '../../../../src/app/net/download.ts';
import { requestJson } from '../../../../src/app/net/http.ts';
import { unlessUpdateRequired, updateRequired } from '../../../../src/app/net/update.ts';
import { createSyncEngine, memoryLocks } from '../../../../src/app/sync/engine.ts';
import { FakeStore, json, scriptedFetch, server } from '../sync/fakes.ts';

const outdated = () => json({ error: { code: 'client_outdated', message: CLIENT_OUTDATED_MESSAGE } }, 426);

afterEach(() => {
  updateRequired.value = false;
  vi.restoreAllMocks();
});

describe('a request', () => {
  test('names the protocol version and the token', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => json({ ok: true }));
    const out = await requestJson('/api/x', { method: 'GET' }, OkAnswer, { fetch, token: 'tok' });
    expect(out).toMatchObject({ ok: true, body: { ok: true } });
    const headers = new Headers(fetch.mock.calls[0]![1]?.headers);
    expect(headers.get(PROTOCOL_HEADER)).toBe(String(PROTOCOL_VERSION));
    expect(headers.get('Authorization')).toBe('Bearer tok');
  });

  test('a 2xx whose JSON is not the message is a bad response, not an answer', async () => {
    const out = await requestJson('/api/x', { method: 'GET' }, OkAnswer, { fetch: async () => json({ ok: 'yes' }) });
    expect(out).toEqual({ ok: false, failure: { kind: 'bad_response', status: 200 } });
  });

  test('a 401 calls onUnauthorized once and is the unauthorized failure', async () => {
    const onUnauthorized = vi.fn();
    const api = createApiClient({ fetch: async () => json({ error: { code: 'unauthorized', message: '请先登录' } }, 401), token: () => 'tok', onUnauthorized });
    expect(await api.get('/api/x', OkAnswer)).toEqual({ ok: false, failure: { kind: 'unauthorized', message: '请先登录' } });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });
});

describe('an app the server no longer serves', () => {
  test('426 client_outdated is a refusal with the server’s message, and an update is required', async () => {
    const out = await requestJson('/api/sync/pull', { method: 'GET' }, OkAnswer, { fetch: async () => outdated() });
    expect(out).toEqual({ ok: false, failure: { kind: 'refused', status: 426, code: 'client_outdated', message: CLIENT_OUTDATED_MESSAGE } });
    expect(updateRequired.value).toBe(true);
  });

  test('an answer whose minimum protocol is above this build requires an update too', async () => {
    await requestJson('/api/x', { method: 'GET' }, OkAnswer, {
      fetch: async () => json({ ok: true }, 200, { [PROTOCOL_MIN_HEADER]: String(PROTOCOL_VERSION + 1) }),
    });
    expect(updateRequired.value).toBe(true);
  });

  test('an answer this build is still served by changes nothing', async () => {
    await requestJson('/api/x', { method: 'GET' }, OkAnswer, {
      fetch: async () => json({ ok: true }, 200, { [PROTOCOL_MIN_HEADER]: String(PROTOCOL_VERSION) }),
    });
    await requestJson('/api/x', { method: 'GET' }, OkAnswer, { fetch: async () => json({ error: { code: 'invalid_body', message: '格式不对' } }, 400) });
    expect(updateRequired.value).toBe(false);
  });

  test('sync stops asking after client_outdated, until the app is updated', async () => {
    const store = new FakeStore();
    store.addEvents(2);
    const { fetch, calls } = scriptedFetch(server({ push: () => outdated() }));
    const engine = createSyncEngine({
      store,
      fetch,
      credentials: () => unlessUpdateRequired(async () => ({ token: 'tok', deviceId: 'device-1' })),
      locks: memoryLocks(),
      random: () => 0,
    });
    engine.start();
    await vi.waitFor(() => expect(engine.state.value.lastFailure).toMatchObject({ kind: 'refused', code: 'client_outdated' }));
    expect(updateRequired.value).toBe(true);
    const sent = calls.length;
    expect(await engine.syncNow('button')).toBe('no_session');
    expect(calls.length).toBe(sent);
    expect(store.pendingIds()).toHaveLength(2);
    engine.stop();
  });
});

describe('the download helper', () => {
  test('saves the bytes under the name from Content-Disposition', async () => {
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const fetch = vi.fn(
      async (_url: string, _init?: RequestInit) =>
        new Response('a,b\n', {
          headers: {
            'content-type': 'text/csv',
            'content-disposition': `attachment; filename="cases.csv"; filename*=UTF-8''${encodeURIComponent('案件登记台账.csv')}`,
          },
        }),
    );
    expect(await downloadFile('/api/exports/cases.csv?year=2024', { fetch, token: 'tok' })).toBeUndefined();
    expect(clicked).toEqual(['案件登记台账.csv']);
    expect(new Headers(fetch.mock.calls[0]![1]?.headers).get('Authorization')).toBe('Bearer tok');
  });

  test('a refused download resolves to the server’s message and saves nothing', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click');
    const fetch = async () => json({ error: { code: 'forbidden', message: '没有权限查看该单位' } }, 403);
    expect(await downloadFile('/api/exports/cases.csv', { fetch })).toBe('没有权限查看该单位');
    expect(await downloadFile('/api/exports/cases.csv', { fetch: async () => Promise.reject(new TypeError('offline')) })).toBe('网络不通，稍后再试');
    expect(click).not.toHaveBeenCalled();
  });

  test('file names: the UTF-8 form first, then the plain one, then the fallback', () => {
    expect(fileNameOf(`attachment; filename="a.xlsx"; filename*=UTF-8''${encodeURIComponent('统计表.xlsx')}`, 'x')).toBe('统计表.xlsx');
    expect(fileNameOf('attachment; filename="a.xlsx"', 'x')).toBe('a.xlsx');
    expect(fileNameOf(null, 'x')).toBe('x');
  });
});
