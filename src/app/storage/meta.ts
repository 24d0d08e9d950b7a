// The meta store: small named values that belong to this phone, not to a record: the device
// id (made once, in device.ts), the device's event counter, the pull cursor and the generation
// of the server's log it counts in, the cached session, flags.
import { openDb } from './db.ts';
import { inWriteTx } from './tx.ts';

export const META_DEVICE_ID = 'deviceId';
export const META_DEVICE_SEQ = 'deviceSeq';
export const META_CURSOR = 'cursor';
export const META_GENERATION = 'generation';
/** The `resume` of the last backfill page stored, which the next pull confirms (server services/pull-backfill.ts). */
export const META_PULL_RESUME = 'pullResume';
export const META_SESSION = 'session';
export const META_PERSIST_ASKED = 'persistAsked';

export async function readMeta(key: string): Promise<unknown> {
  const db = await openDb();
  return (await db.get('meta', key))?.value;
}

export async function writeMeta(key: string, value: unknown): Promise<void> {
  await inWriteTx(['meta'], async (tx) => {
    await tx.objectStore('meta').put({ key, value });
  });
}

/** The pull cursor: the server seq up to which this phone holds every event in scope. */
export async function getCursor(): Promise<number> {
  const value = await readMeta(META_CURSOR);
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

/** The `resume` the last stored pull page carried ('' when it carried none). */
export async function getPullResume(): Promise<string> {
  const value = await readMeta(META_PULL_RESUME);
  return typeof value === 'string' ? value : '';
}

/** The generation of the server's log the cursor counts in; undefined before the first pull that named one. */
export async function getGeneration(): Promise<string | undefined> {
  const value = await readMeta(META_GENERATION);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
