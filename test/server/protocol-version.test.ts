// The protocol version on the wire (design.md "Sync contract"): apps without the header (every
// phone before it) are served as they always were; an app older than the oldest version served
// gets 426 client_outdated, which old apps already show as a refusal; a push from an app newer
// than the server is refused rather than read with fields dropped.
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_OUTDATED_MESSAGE, OLDEST_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_MIN_HEADER, PROTOCOL_VERSION } from '../../src/shared/api/version.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { G1, pullAll, seedTownship, sweep, type Township } from './support/sync-fixtures.ts';

const OUTDATED = { error: { code: 'client_outdated', message: CLIENT_OUTDATED_MESSAGE } };

describe.each(storeCases())('protocol version on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  const pushWith = (headers: Record<string, string>, events = [sweep(G1, '2024-05-01T09:00:00+08:00')]) =>
    t().json<{ results?: { id: string; status: string }[]; error?: { code: string; message: string } }>('POST', '/api/sync/push', {
      token: town.tokens.grid1!,
      body: { deviceId: 'dev-proto', events },
      headers,
    });

  it('serves an app that sends no version header (today’s phones), and names its own versions', async () => {
    const event = sweep(G1, '2024-05-02T09:00:00+08:00');
    const res = await t().request('POST', '/api/sync/push', { token: town.tokens.grid1!, body: { deviceId: 'dev-old', events: [event] } });
    expect(res.status).toBe(200);
    expect(res.headers.get(PROTOCOL_HEADER)).toBe(String(PROTOCOL_VERSION));
    expect(res.headers.get(PROTOCOL_MIN_HEADER)).toBe(String(OLDEST_PROTOCOL_VERSION));
    expect(((await res.json()) as { results: unknown[] }).results).toEqual([{ id: event.id, status: 'applied' }]);
    const pulled = await pullAll(t(), town.tokens.grid1!);
    expect(pulled.events.map((e) => e.id)).toContain(event.id);
  });

  it('serves every version from the oldest supported to the current one', async () => {
    for (let version = OLDEST_PROTOCOL_VERSION; version <= PROTOCOL_VERSION; version++) {
      const res = await pushWith({ [PROTOCOL_HEADER]: String(version) });
      expect(res.status, `version ${version}`).toBe(200);
      expect(res.body.results?.[0]?.status).toBe('applied');
    }
  });

  it('answers an app older than supported with 426 client_outdated, on push, pull and login, and stores nothing', async () => {
    const before = (await pullAll(t(), town.tokens.admin!)).events.length;
    const old = { [PROTOCOL_HEADER]: String(OLDEST_PROTOCOL_VERSION - 1) };
    const pushed = await pushWith(old);
    expect(pushed).toEqual({ status: 426, body: OUTDATED });
    expect(await t().json('GET', '/api/sync/pull?cursor=0', { token: town.tokens.grid1!, headers: old })).toEqual({ status: 426, body: OUTDATED });
    expect(await t().json('POST', '/api/auth/login', { body: { username: 'grid1', password: 'test-pass-123' }, headers: old })).toEqual({
      status: 426,
      body: OUTDATED,
    });
    expect((await pullAll(t(), town.tokens.admin!)).events.length).toBe(before);
  });

  it('a version header that is not a number is refused the same way', async () => {
    expect(await pushWith({ [PROTOCOL_HEADER]: 'v2' })).toEqual({ status: 426, body: OUTDATED });
  });

  it('refuses a push from an app newer than the server instead of reading it with fields dropped', async () => {
    const before = (await pullAll(t(), town.tokens.admin!)).events.length;
    const res = await pushWith({ [PROTOCOL_HEADER]: String(PROTOCOL_VERSION + 1) });
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('protocol_unsupported');
    expect((await pullAll(t(), town.tokens.admin!)).events.length).toBe(before);
    // Reads are answered in the server's own (older) shapes, which a newer app still reads.
    expect(
      (await t().json('GET', '/api/sync/pull?cursor=0', { token: town.tokens.grid1!, headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION + 1) } })).status,
    ).toBe(200);
  });
});
