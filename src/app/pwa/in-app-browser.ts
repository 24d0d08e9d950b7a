// In-app browsers (WeChat, QQ, Weibo, DingTalk, …) that open the link from a group chat: a PWA
// cannot be installed there and the app may clear its storage at any time, so records made in
// one can be lost before they are sent. Detected from the user agent, before anything is made.

export type InAppBrowser = '微信' | '企业微信' | 'QQ' | '微博' | '钉钉' | '支付宝' | '飞书' | '抖音' | '今日头条' | '小红书';

// Order matters: 企业微信's agent also says MicroMessenger. "QQ/" is the QQ app; the QQ browser
// (MQQBrowser, a real browser) does not match it.
const APPS: readonly [RegExp, InAppBrowser][] = [
  [/wxwork\//i, '企业微信'],
  [/MicroMessenger\//i, '微信'],
  [/(^|[\s;(])QQ\//, 'QQ'],
  [/Weibo/i, '微博'],
  [/DingTalk/i, '钉钉'],
  [/AlipayClient|AliApp\(AP/i, '支付宝'],
  [/Lark\/|Feishu/i, '飞书'],
  [/aweme|BytedanceWebview.*Douyin|musical_ly/i, '抖音'],
  [/NewsArticle\//i, '今日头条'],
  [/xhsdiscover/i, '小红书'],
];

/** The app whose built-in browser this is, or undefined for a real browser. */
export function detectInAppBrowser(userAgent: string): InAppBrowser | undefined {
  for (const [pattern, app] of APPS) if (pattern.test(userAgent)) return app;
  return undefined;
}
