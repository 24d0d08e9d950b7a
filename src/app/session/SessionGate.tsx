// Wraps the app: shows 登录, 设置 PIN or the PIN lock instead of the screens until the
// session is open, watches for idleness, and runs the sync engine whenever someone is logged
// in (also behind the PIN screen: records keep going out while the phone is locked). The
// sync engine is a lazy chunk, started once the first screen is shown (first-screen.ts).
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { afterFirstScreen } from '../first-screen.ts';
import { detectInAppBrowser } from '../pwa/in-app-browser.ts';
import { lazyPart } from '../components/lazy-part.tsx';
import { sessionController } from './instance.ts';
import { gate, session } from './state.ts';

// The login and PIN screens are lazy chunks, not on the path to the first capture form: a
// start that needs one loads it at once (precached: offline too), and every other start
// fetches both once its first screen is shown, so that the PIN is there the moment the phone
// locks, not a chunk later. The guide for in-app browsers is for a few first visits.
const booting = () => <p class="boot">法治台账 正在打开…</p>;
const InAppBrowserGuide = lazyPart(() => import('../pwa/InAppBrowserGuide.tsx').then((m) => m.InAppBrowserGuide), booting);
const LoginScreen = lazyPart(() => import('./LoginScreen.tsx').then((m) => m.LoginScreen), booting);
const PinScreen = lazyPart(() => import('./PinScreen.tsx').then((m) => m.PinScreen), booting);
void afterFirstScreen()
  .then(() => Promise.all([LoginScreen.preload(), PinScreen.preload()]))
  .catch(() => undefined);

const IDLE_CHECK_MS = 15_000;

const loadSync = () => import('../sync/index.ts');
const unsentRecords = () => loadSync().then((sync) => sync.unsentRecords());
const downloadOutbox = () => loadSync().then((sync) => sync.downloadOutbox());

// Read once: the user agent does not change while the page is open.
const inAppBrowser = typeof navigator === 'undefined' ? undefined : detectInAppBrowser(navigator.userAgent);

export function SessionGate(props: { children: ComponentChildren }) {
  // Before login and before any record: nothing made in WeChat's browser can be trusted to stay.
  if (inAppBrowser) return <InAppBrowserGuide app={inAppBrowser} address={location.href} ios={/iPhone|iPad/.test(navigator.userAgent)} />;
  return <OpenGate>{props.children}</OpenGate>;
}

function OpenGate(props: { children: ComponentChildren }) {
  useEffect(() => {
    void sessionController.init();
    const touch = () => sessionController.touch();
    const check = () => sessionController.checkIdle();
    const onVisibility = () => {
      if (document.visibilityState === 'visible') check();
    };
    const events = ['pointerdown', 'keydown', 'touchstart', 'scroll'] as const;
    for (const e of events) window.addEventListener(e, touch, { passive: true, capture: true });
    document.addEventListener('visibilitychange', onVisibility);
    const timer = setInterval(check, IDLE_CHECK_MS);
    return () => {
      for (const e of events) window.removeEventListener(e, touch, { capture: true });
      document.removeEventListener('visibilitychange', onVisibility);
      clearInterval(timer);
    };
  }, []);

  const token = session.value?.token;
  useEffect(() => {
    if (!token) return undefined;
    let live = true;
    let stop: (() => void) | undefined;
    // A chunk that fails to load (it is precached: hardly ever) leaves sync off until the next start or login.
    afterFirstScreen()
      .then(loadSync)
      .then(({ startSync }) => {
        if (!live) return;
        stop = startSync({
          credentials: () => sessionController.credentials(),
          onUnauthorized: () => void sessionController.endOnUnauthorized(),
          onSynced: () => {
            void sessionController.noteServerContact();
            void sessionController.refresh();
          },
        });
      })
      .catch(() => undefined);
    return () => {
      live = false;
      stop?.();
    };
  }, [token]);

  const state = gate.value;
  switch (state.status) {
    case 'loading':
      return booting();
    case 'signed_out':
      return <LoginScreen controller={sessionController} reason={state.reason} previousUser={state.previousUser} />;
    case 'set_pin':
    case 'locked':
    case 'open': {
      // Same shape whether locked or not, so the screens stay mounted (hidden) behind the PIN:
      // a form the user was filling in when the phone idled is there, untouched, after unlocking
      // (also with the password and a new PIN, which passes through set_pin).
      const locked = state.status !== 'open';
      return (
        <>
          {state.status === 'set_pin' && <PinScreen key="set" controller={sessionController} mode="set" />}
          {state.status === 'locked' && (
            <PinScreen key="unlock" controller={sessionController} mode="unlock" countUnsent={unsentRecords} onExport={downloadOutbox} />
          )}
          <div class="session-content" style={{ display: locked ? 'none' : 'contents' }}>
            {props.children}
          </div>
        </>
      );
    }
  }
}
