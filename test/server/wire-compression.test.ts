// Compressed bodies both ways: a gzip push is read like a plain one, the size limits hold for the
// inflated body (a zip bomb is 413 and writes nothing), a damaged or unknown encoding is a 4xx;
// answers are gzip for clients that ask (JSON, CSV), never for .xlsx (already a zip); a pull page
// stops at about PULL_PAGE_BYTES (1 MB) of JSON whatever the count asked.
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { PULL_PAGE_BYTES } from '../../src/server/routes/sync.ts';
import { caseOpened, G1, pull, pullAll, push, seedTownship, TOWN, type PullAnswer, type PushAnswer, type Township } from './support/sync-fixtures.ts';

const gzipJson = (value: unknown) => new Uint8Array(gzipSync(Buffer.from(JSON.stringify(value))));

describe.each(storeCases())('compressed bodies on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  const gzipPush = (body: Uint8Array, encoding = 'gzip') =>
    t().request('POST', '/api/sync/push', {
      token: town.tokens.grid1!,
      body,
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
    });

  it('applies a gzip push as it applies a plain one', async () => {
    const events = [caseOpened(G1, '2024-05-01T09:00:00+08:00'), caseOpened(G1, '2024-05-02T09:00:00+08:00')];
    const res = await gzipPush(gzipJson({ deviceId: 'dev-gzip', events }));
    expect(res.status).toBe(200);
    const answer = (await res.json()) as PushAnswer;
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const pulled = await pullAll(t(), town.tokens.grid1!);
    expect(pulled.events.map((e) => e.id)).toEqual(expect.arrayContaining(events.map((e) => e.id)));
  });

  it('refuses a zip bomb with 413 by its inflated size, and writes nothing', async () => {
    const before = (await pullAll(t(), town.tokens.admin!)).events.length;
    // 12 MB of padding after one event: a few hundred KB on the wire, far over the 5 MB push limit once inflated.
    const event = caseOpened(G1, '2024-05-03T09:00:00+08:00');
    const text = JSON.stringify({ deviceId: 'dev-gzip', events: [event], pad: ' '.repeat(12 * 1024 * 1024) });
    const bomb = new Uint8Array(gzipSync(Buffer.from(text), { level: 9 }));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await gzipPush(bomb);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large', message: expect.stringContaining('请求内容过大') } });
    expect((await pullAll(t(), town.tokens.admin!)).events.length).toBe(before);
  });

  it('holds a small route to its own 1 MB limit once inflated', async () => {
    const res = await t().request('POST', '/api/auth/login', {
      body: gzipJson({ username: 'grid1', password: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(res.status).toBe(413);
  });

  it('answers 400 to damaged gzip and 415 to an encoding it does not read', async () => {
    const good = gzipJson({ deviceId: 'dev-gzip', events: [] });
    const damaged = good.slice(0, good.length - 6);
    const res = await gzipPush(damaged);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('gzip') } });
    const br = await gzipPush(good, 'br');
    expect(br.status).toBe(415);
    expect(await br.json()).toMatchObject({ error: { code: 'unsupported_media_type', message: expect.stringContaining('gzip') } });
  });

  it('gzips a pull page for a client that accepts gzip, and only then', async () => {
    await push(
      t(),
      town.tokens.grid1!,
      Array.from({ length: 30 }, (_, i) => caseOpened(G1, `2024-06-${String(i + 1).padStart(2, '0')}T09:00:00+08:00`)),
    );
    const zipped = await t().request('GET', '/api/sync/pull?cursor=0', { token: town.tokens.grid1!, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const bytes = Buffer.from(await zipped.arrayBuffer());
    const page = JSON.parse(gunzipSync(bytes).toString('utf8')) as PullAnswer;
    expect(page.events.length).toBeGreaterThanOrEqual(30);
    const plain = await t().request('GET', '/api/sync/pull?cursor=0', { token: town.tokens.grid1! });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const plainText = await plain.text();
    expect(JSON.parse(plainText)).toEqual(page);
    expect(bytes.length).toBeLessThan(Buffer.byteLength(plainText) / 3);
  });

  it('gzips a CSV export and leaves an .xlsx as it is', async () => {
    const office = town.tokens.office!;
    const headers = { 'accept-encoding': 'gzip' };
    const csv = await t().request('GET', `/api/exports/cases.csv?year=2024&orgUnitId=${TOWN}`, { token: office, headers });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-encoding')).toBe('gzip');
    const text = gunzipSync(Buffer.from(await csv.arrayBuffer())).toString('utf8');
    expect(text.startsWith('\ufeff案件编号')).toBe(true);
    const xlsx = await t().request('GET', `/api/exports/cases.xlsx?year=2024&orgUnitId=${TOWN}`, { token: office, headers });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-encoding')).toBeNull();
    // A zip file: PK\x03\x04.
    expect([...new Uint8Array(await xlsx.arrayBuffer()).slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
  });

  it('stops a pull page at about 1 MB of JSON, and the next pages carry the rest', async () => {
    // 480 events of ~6 KB each: about 2.9 MB, three pages or more at the byte cap, one page by count.
    const long = '调解记录'.repeat(500);
    const events = Array.from({ length: 480 }, (_, i) => caseOpened(G1, `2024-07-${String((i % 28) + 1).padStart(2, '0')}T09:00:00+08:00`, { summary: long }));
    const pushed = await push(t(), town.tokens.grid1!, events);
    expect(pushed.status).toBe(200);
    // By count alone the whole scope fits one page of 1000.
    expect((await pull(t(), town.tokens.mediator1!, 0, 1000)).body.hasMore).toBe(true);
    let cursor = 0;
    const got: string[] = [];
    let pages = 0;
    for (;;) {
      const res = await t().request('GET', `/api/sync/pull?cursor=${cursor}&limit=1000`, { token: town.tokens.mediator1! });
      const text = await res.text();
      expect(Buffer.byteLength(text)).toBeLessThan(PULL_PAGE_BYTES + 16 * 1024);
      const page = JSON.parse(text) as PullAnswer;
      got.push(...page.events.map((e) => e.id));
      pages++;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(got).toEqual(expect.arrayContaining(events.map((e) => e.id)));
    expect(new Set(got).size).toBe(got.length);
  });
});
