// The meta store: small named values that belong to this phone, not to a record: the device
// id (made once), the device's event counter, the pull cursor, the cached session, flags.
import { v4 as uuidv4 } from 'uuid';
import { openDb } from './db.ts';

export const META_DEVICE_ID = 'deviceId';
export const META_DEVICE_SEQ = 'deviceSeq';
export const META_CURSOR = 'cursor';
export const META_SESSION = 'session';
export const META_PERSIST_ASKED = 'persistAsked';

export async function readMeta(key: string): Promise<unknown> {
  const db = await openDb();
  return (await db.get('meta', key))?.value;
}

export async function writeMeta(key: string, value: unknown): Promise<void> {
  const db = await openDb();
  await db.put('meta', { key, value });
}

export async function deleteMeta(key: string): Promise<void> {
  const db = await openDb();
  await db.delete('meta', key);
}

/** This phone's id, made on first use and kept for good (logout keeps it too). */
export async function getDeviceId(): Promise<string> {
  const db = await openDb();
  const tx = db.transaction('meta', 'readwrite');
  const held = (await tx.store.get(META_DEVICE_ID))?.value;
  if (typeof held === 'string' && held.length > 0) {
    await tx.done;
    return held;
  }
  const id = uuidv4();
  await tx.store.put({ key: META_DEVICE_ID, value: id });
  await tx.done;
  return id;
}

/** The pull cursor: the server seq up to which this phone holds every event in scope. */
export async function getCursor(): Promise<number> {
  const value = await readMeta(META_CURSOR);
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}
