// In-app browsers (WeChat, QQ, Weibo, DingTalk, …) that open the link from a group chat: a PWA
// cannot be installed there and the app may clear its storage at any time, so records made in
// one can be lost before they are sent. Detected from the user agent, before anything is made.

export type InAppBrowser = '微信' | '企业微信' | 'QQ' | '微博' | '钉钉' | '支付宝' | '飞书' | '抖音' | '今日头条' | '小红书';

// Order matters: 企业微信's agent also says MicroMessenger. "QQ/" is the QQ app; the QQ browser
// (MQQBrowser, a real browser) does not match it. Plain substring tests on the lower-cased
// agent, not case-insensitive patterns: this runs on every start, and a phone compiling ten
// /i patterns before its first screen paid ~20 ms for it at a slowed CPU.
const APPS: readonly [(agent: string, lower: string) => boolean, InAppBrowser][] = [
  [(_, l) => l.includes('wxwork/'), '企业微信'],
  [(_, l) => l.includes('micromessenger/'), '微信'],
  [(agent) => qqApp(agent), 'QQ'],
  [(_, l) => l.includes('weibo'), '微博'],
  [(_, l) => l.includes('dingtalk'), '钉钉'],
  [(_, l) => l.includes('alipayclient') || l.includes('aliapp(ap'), '支付宝'],
  [(_, l) => l.includes('lark/') || l.includes('feishu'), '飞书'],
  [(_, l) => l.includes('aweme') || l.includes('musical_ly') || douyinWebview(l), '抖音'],
  [(_, l) => l.includes('newsarticle/'), '今日头条'],
  [(_, l) => l.includes('xhsdiscover'), '小红书'],
];

/** "QQ/" at the start or after a space, ";" or "(", in capitals as the QQ app writes it. */
function qqApp(agent: string): boolean {
  for (let at = agent.indexOf('QQ/'); at !== -1; at = agent.indexOf('QQ/', at + 1)) {
    if (at === 0 || ' \t;('.includes(agent[at - 1]!)) return true;
  }
  return false;
}

/** ByteDance's web view naming Douyin after it. */
function douyinWebview(lower: string): boolean {
  const at = lower.indexOf('bytedancewebview');
  return at !== -1 && lower.indexOf('douyin', at) !== -1;
}

/** The app whose built-in browser this is, or undefined for a real browser. */
export function detectInAppBrowser(userAgent: string): InAppBrowser | undefined {
  const lower = userAgent.toLowerCase();
  for (const [matches, app] of APPS) if (matches(userAgent, lower)) return app;
  return undefined;
}
