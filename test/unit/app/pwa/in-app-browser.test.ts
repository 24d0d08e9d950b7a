import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { detectInAppBrowser } from '../../../../src/app/pwa/in-app-browser.ts';

const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 12; M2012K11AC) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.230 Mobile Safari/537.36';

describe('in-app browsers are told apart from real ones by the user agent', () => {
  test.each([
    [
      'Mozilla/5.0 (Linux; Android 12; M2012K11AC Build/SKQ1.211006.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230202 MMWEBID/2585 MicroMessenger/8.0.33.2320(0x2800213B) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
      '微信',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 16_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.34(0x18002231) NetType/4G Language/zh_CN',
      '微信',
    ],
    [
      'Mozilla/5.0 (Linux; Android 11; V2055A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/87.0.4280.141 Mobile Safari/537.36 wxwork/4.1.6 MicroMessenger/7.0.1 NetType/WIFI Language/zh',
      '企业微信',
    ],
    [
      'Mozilla/5.0 (Linux; Android 10; HMA-AL00 Build/HUAWEIHMA-AL00; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/89.0.4389.72 MQQBrowser/6.2 TBS/046011 Mobile Safari/537.36 V1_AND_SQ_8.8.50_2324_YYB_D QQ/8.8.50.6735 NetType/WIFI WebP/0.3.0 Pixel/1080',
      'QQ',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 15_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Weibo (iPhone13,2__weibo__12.9.1__iphone__os15.6)',
      '微博',
    ],
    [
      'Mozilla/5.0 (Linux; U; Android 12; zh-CN; PGBM10 Build/SP1A.210812.016) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/69.0.3497.100 UWS/3.22.2.33 Mobile Safari/537.36 AliApp(DingTalk/6.5.45) com.alibaba.android.rimet/27362716 Channel/700159 language/zh-CN',
      '钉钉',
    ],
  ])('%s → %s', (ua, app) => {
    expect(detectInAppBrowser(ua)).toBe(app);
  });

  test.each([
    ['Chrome on Android', ANDROID_CHROME],
    [
      'Safari on iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
    ],
    // The QQ browser is a real browser: it can install the app and keeps its storage.
    [
      'QQ 浏览器',
      'Mozilla/5.0 (Linux; U; Android 12; zh-cn; PGBM10) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/98.0.4758.102 MQQBrowser/13.4 Mobile Safari/537.36 COVC/046503',
    ],
    [
      '华为浏览器',
      'Mozilla/5.0 (Linux; Android 10; HarmonyOS; NOH-AN00) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.300 Mobile Safari/537.36',
    ],
  ])('%s is a real browser', (_name, ua) => {
    expect(detectInAppBrowser(ua)).toBeUndefined();
  });

  // The agents' own spellings, as patterns: what the substring tests must agree with on any agent.
  const PATTERNS: [RegExp, string][] = [
    [/wxwork\//i, '企业微信'],
    [/MicroMessenger\//i, '微信'],
    [/(^|[ \t;(])QQ\//, 'QQ'],
    [/Weibo/i, '微博'],
    [/DingTalk/i, '钉钉'],
    [/AlipayClient|AliApp\(AP/i, '支付宝'],
    [/Lark\/|Feishu/i, '飞书'],
    [/aweme|BytedanceWebview.*Douyin|musical_ly/i, '抖音'],
    [/NewsArticle\//i, '今日头条'],
    [/xhsdiscover/i, '小红书'],
  ];
  const fragments = [
    ...['wxwork/', 'MicroMessenger/', 'QQ/', 'qq/', 'MQQBrowser/', ' QQ/', ';QQ/', '(QQ/', 'weibo', 'DINGTALK', 'AliApp(AP', 'AlipayClient'],
    ...['Lark/', 'FeiShu', 'aweme', 'BytedanceWebview/d8a21c6', 'Douyin', 'musical_ly', 'NewsArticle/', 'xhsdiscover', ' ', ';', '(', 'Chrome/120'],
  ];
  test('agrees with the agents’ patterns on any mix of their names', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 })), { maxLength: 8 }), (parts) => {
        const agent = parts.join('');
        expect(detectInAppBrowser(agent)).toBe(PATTERNS.find(([p]) => p.test(agent))?.[1]);
      }),
      { numRuns: 2000 },
    );
  });
});
