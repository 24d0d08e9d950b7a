// The session controller for this page, wired to IndexedDB (meta 'session'), the network
// and the outbox. It is on the start path: the outbox and the sync engine, which only a login
// or a logout needs, are fetched then (lazy chunks), and the first read of the session is the
// one the entry started before the app loaded (first-screen.ts).
import { takeSessionRead } from '../first-screen.ts';
import { META_SESSION, readMeta, writeMeta } from '../storage/meta.ts';
import { createSessionController } from './controller.ts';

const LAST_ACTIVE_KEY = 'taizhang.lastActiveAt';

export const sessionController = createSessionController({
  fetch: (input, init) => fetch(input, init),
  load: () => takeSessionRead() ?? readMeta(META_SESSION),
  save: (value) => writeMeta(META_SESSION, value),
  deviceId: () => import('../storage/device.ts').then((m) => m.getDeviceId()),
  countOutbox: () => import('../storage/outbox.ts').then((m) => m.countOutbox()),
  wipeDevice: async () => {
    const [{ whileNoSyncRuns }, { clearSyncLog }, { wipeDevice }] = await Promise.all([
      import('../sync/engine.ts'),
      import('../sync/log.ts'),
      import('../storage/device.ts'),
    ]);
    await whileNoSyncRuns(async () => {
      await wipeDevice();
      clearSyncLog();
    });
  },
  // localStorage: written every few seconds while the user works, which IndexedDB need not carry.
  lastActive: {
    get() {
      try {
        const raw = localStorage.getItem(LAST_ACTIVE_KEY);
        return raw === null ? undefined : Number(raw);
      } catch {
        return undefined;
      }
    },
    set(at) {
      try {
        if (at === undefined) localStorage.removeItem(LAST_ACTIVE_KEY);
        else localStorage.setItem(LAST_ACTIVE_KEY, String(at));
      } catch {
        // Storage refused (private mode): the PIN is then asked at every start, which is safe.
      }
    },
  },
  deviceName: describeDevice(),
});

/** "Android 手机 · Chrome" — enough for an admin to tell a user's devices apart. */
function describeDevice(): string {
  if (typeof navigator === 'undefined') return '手机';
  const ua = navigator.userAgent;
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS/.test(ua) ? 'macOS' : '其他系统';
  const browser = /MicroMessenger/.test(ua) ? '微信' : /Edg\//.test(ua) ? 'Edge' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : '浏览器';
  return `${os} · ${browser}`;
}
