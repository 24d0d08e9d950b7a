// Phones for server tests: each its own IndexedDB (fake-indexeddb) under the app's own storage
// module and sync run (src/app/storage, src/app/sync/sender.ts), logged in over HTTP. The
// storage module works on the global indexedDB, so phones take turns (asPhone).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import * as storage from '../../../src/app/storage/index.ts';
import { runSync, type RunReport } from '../../../src/app/sync/sender.ts';
import { call } from './server-process.ts';

export interface Phone {
  factory: IDBFactory;
  token: string;
  deviceId: string;
}

export async function asPhone<T>(phone: Phone, fn: () => Promise<T>): Promise<T> {
  await storage.closeDb();
  globalThis.indexedDB = phone.factory;
  return fn();
}

/** A fresh phone logged in as `username` on the server at `url`. */
export async function loginPhone(url: string, username: string, password: string): Promise<Phone> {
  const factory = new IDBFactory();
  await storage.closeDb();
  globalThis.indexedDB = factory;
  const deviceId = await storage.getDeviceId();
  const login = await call<{ token: string }>(`${url}/api/auth/login`, 'POST', undefined, { username, password, deviceId });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${JSON.stringify(login.body)}`);
  return { factory, token: login.body.token, deviceId };
}

let day = 0;

/** Records `n` sweeps in the unit on the phone, as its form does; returns their ids. */
export function recordSweeps(phone: Phone, orgUnitId: string, n: number): Promise<string[]> {
  return asPhone(phone, async () =>
    (
      await storage.recordEvents(
        Array.from({ length: n }, () => ({
          type: 'sweep.recorded' as const,
          subjectId: crypto.randomUUID(),
          orgUnitId,
          occurredAt: `2024-06-${String((day++ % 28) + 1).padStart(2, '0')}T09:00:00+08:00`,
          data: { households: 10 + (day % 50), disputesFound: 0 },
        })),
      )
    ).map((e) => e.id),
  );
}

/** One sync run of the phone against the server at `url`. */
export function syncPhone(phone: Phone, url: string): Promise<RunReport> {
  return asPhone(phone, () => runSync({ store: storage, fetch: (u, init) => fetch(u, init), token: phone.token, deviceId: phone.deviceId, baseUrl: url }));
}

/** What the phone holds: its events' ids (sorted), its outbox counts and its pull cursor. */
export function heldBy(phone: Phone) {
  return asPhone(phone, async () => {
    const db = await storage.openDb();
    return { events: (await db.getAllKeys('events')).sort(), outbox: await storage.countOutbox(), cursor: await storage.getCursor() };
  });
}

export const closePhones = () => storage.closeDb();
