// The one way storage opens a write: it resolves after the commit with the body's result, and a
// body that throws leaves nothing of what it wrote and throws on.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { closeDb, openDb, readMeta } from '../../../../src/app/storage/index.ts';
import { inReadTx, inWriteTx } from '../../../../src/app/storage/tx.ts';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(async () => {
  await closeDb();
});

test('a write resolves with what the body returned, and what it wrote is there after', async () => {
  const result = await inWriteTx(['meta', 'drafts'], async (tx) => {
    await tx.objectStore('meta').put({ key: 'a', value: 1 });
    await tx.objectStore('drafts').put({ key: 'd', form: 'case', values: {}, updatedAt: 1 });
    return 'done';
  });
  expect(result).toBe('done');
  expect(await readMeta('a')).toBe(1);
  expect((await (await openDb()).get('drafts', 'd'))?.form).toBe('case');
});

test('a body that throws rolls back every store it wrote and the error reaches the caller', async () => {
  await inWriteTx(['meta'], async (tx) => {
    await tx.objectStore('meta').put({ key: 'kept', value: 'before' });
  });
  const failure = new Error('refused');
  const error = await inWriteTx(['meta', 'drafts'], async (tx) => {
    await tx.objectStore('meta').put({ key: 'kept', value: 'after' });
    await tx.objectStore('drafts').put({ key: 'd', form: 'case', values: {}, updatedAt: 1 });
    throw failure;
  }).catch((e: unknown) => e);
  expect(error).toBe(failure);
  expect(await readMeta('kept')).toBe('before');
  expect(await (await openDb()).count('drafts')).toBe(0);
});

test('a read sees the stores as one view and resolves with the body result', async () => {
  await inWriteTx(['meta'], async (tx) => {
    await tx.objectStore('meta').put({ key: 'x', value: 2 });
  });
  expect(await inReadTx(['meta'], async (tx) => (await tx.objectStore('meta').get('x'))?.value)).toBe(2);
});
