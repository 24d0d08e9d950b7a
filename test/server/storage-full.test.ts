// A full disk on every store: writes answer 507 storage_full with a Chinese message, and reads
// and logins keep working because their bookkeeping writes (pull records, saved pull scope,
// token last use, login counters, API rate counts) give way, and a failed photo write removes
// its temp file. Faults are injected by wrapping the real store.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { attachmentFiles } from '../../src/server/services/attachments.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseOpened, G1, pull, push, seedTownship, type Township } from './support/sync-fixtures.ts';

const diskFull = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

const BOOKKEEPING = ['recordPull', 'savePullScope', 'touchToken', 'addRateHit', 'clearRateHits', 'pruneRateHits'] as const;

/** Makes the named methods of the live store throw a full-disk error until the returned undo runs. */
function failing(store: Store, names: readonly (keyof Store)[]): () => void {
  const saved = names.map((n) => [n, store[n]] as const);
  const target = store as unknown as Record<string, unknown>;
  for (const n of names) target[n] = async () => Promise.reject(diskFull());
  return () => {
    for (const [n, f] of saved) target[n] = f;
  };
}

describe.each(storeCases())('storage full on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
    await push(t(), town.tokens.grid1!, [caseOpened(G1, '2024-03-01T09:00:00+08:00')]);
  });

  it('answers a push on a full disk 507 storage_full in Chinese', async () => {
    const undo = failing(t().store, ['transactPush']);
    try {
      const r = await push(t(), town.tokens.grid1!, [caseOpened(G1, '2024-03-02T09:00:00+08:00')]);
      expect(r.status).toBe(507);
      const body = r.body as unknown as { error: { code: string; message: string } };
      expect(body.error.code).toBe('storage_full');
      expect(body.error.message).toMatch(/存储空间已满/);
    } finally {
      undo();
    }
  });

  it('keeps pulls and logins working when bookkeeping writes fail with a full disk', async () => {
    const store = t().store;
    const findToken = store.findToken.bind(store);
    // A token last used two hours ago: the request would refresh its sliding expiry first.
    store.findToken = async (hash) => {
      const found = await findToken(hash);
      return found ? { ...found, session: { ...found.session, lastUsedAt: new Date(Date.now() - 2 * 3600_000).toISOString() } } : found;
    };
    const undo = failing(store, BOOKKEEPING);
    try {
      const r = await t().json<{ events: unknown[] }>('GET', '/api/sync/pull?cursor=0&deviceId=dev-grid1', { token: town.tokens.grid1! });
      expect(r.status).toBe(200);
      expect(r.body.events.length).toBeGreaterThan(0);
      expect((await pull(t(), town.tokens.office!)).status).toBe(200);
      expect(await town.login('grid2', 'phone-after-full')).toMatch(/\S/);
    } finally {
      undo();
      store.findToken = findToken;
    }
  });
});

describe('a failed photo write', () => {
  it('leaves no temp file behind', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'taizhang-full-'));
    try {
      const files = attachmentFiles(dir);
      const bytes = Buffer.from('a photo that cannot be placed');
      const sha = createHash('sha256').update(bytes).digest('hex');
      // Its shard directory's place is taken by a file: the write after the temp file fails, as a full disk would.
      writeFileSync(path.join(dir, 'attachments', sha.slice(0, 2)), 'x');
      expect(() => files.put(sha, bytes)).toThrow();
      expect(readdirSync(path.join(dir, 'attachments', 'tmp'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
