// What every screen test needs: a fresh fake IndexedDB and a host element per test, and
// waiting for IndexedDB callbacks and effects to settle.
import { IDBFactory } from 'fake-indexeddb';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach } from 'vitest';
import { closeDb } from '../../../../../src/app/storage/index.ts';

/** Gives each test a new empty phone storage and a mounted host element (passed to `use`). */
export function useScreenHost(use: (host: HTMLElement) => void): void {
  let host: HTMLElement | undefined;
  beforeEach(() => {
    globalThis.indexedDB = new IDBFactory();
    host = document.body.appendChild(document.createElement('div'));
    use(host);
  });
  afterEach(async () => {
    if (host) {
      render(null, host);
      host.remove();
    }
    await closeDb();
  });
}

/** Lets IndexedDB callbacks and effects run. */
export async function settle(ms = 20): Promise<void> {
  await act(async () => {
    await new Promise((r) => setTimeout(r, ms));
  });
}

/** Waits until `check` holds; the error names what was awaited and what the screen showed. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, shown: () => string = () => ''): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await settle();
  }
  const text = shown();
  throw new Error(`timed out waiting for ${what}${text ? `: ${text}` : ''}`);
}
