// Shown instead of the app inside WeChat and other in-app browsers: how to open the address in
// the phone's own browser, with a button that copies it. Nothing can be recorded here.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { InAppBrowser } from './in-app-browser.ts';
import './in-app-browser.css';

export function InAppBrowserGuide(props: { app: InAppBrowser; address: string; ios: boolean }) {
  const copied = useSignal<'yes' | 'no' | undefined>(undefined);
  useEffect(() => {
    // index.html's "正在打开…" is normally reused by the gate's loading state; this screen never passes through it.
    for (const boot of document.querySelectorAll('#app > .boot')) boot.remove();
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.address);
      copied.value = 'yes';
    } catch {
      // Some in-app browsers refuse the clipboard: the address stays selectable in the field.
      copied.value = 'no';
    }
  };
  const browser = props.ios ? 'Safari' : '浏览器';
  return (
    <main class="in-app-guide">
      <h1>法治台账</h1>
      <h2>请用手机浏览器打开</h2>
      <p class="in-app-warning" role="alert">
        现在是在{props.app}里打开的。{props.app}里不能离线使用，记录可能丢失，所以这里不能登记。请换到手机自带的浏览器打开本页。
      </p>
      <ol class="in-app-steps">
        <li>点右上角的 “···”（三个点）。</li>
        <li>选 “在{props.ios ? ' Safari ' : '浏览器'}中打开”（或 “在默认浏览器中打开”）。</li>
        <li>如果没有这个选项：点下面的 “复制链接”，打开手机的{browser}，粘贴到地址栏。</li>
      </ol>
      <label class="in-app-address">
        本页地址
        <input readOnly value={props.address} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button type="button" class="in-app-copy" onClick={() => void copy()}>
        复制链接
      </button>
      {copied.value === 'yes' && <p role="status">已复制，请到{browser}的地址栏粘贴。</p>}
      {copied.value === 'no' && <p role="status">不能自动复制，请长按上面的地址复制。</p>}
    </main>
  );
}
