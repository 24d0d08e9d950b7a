// `npm run demo`: fills an EMPTY database (DATA_DIR or DATABASE_URL, as `npm start` uses) with
// the demo township 江口镇 and a year (2024) of records, then prints the accounts and their
// password (TAIZHANG_DEMO_PASSWORD, or one generated now and shown once).
import { randomBytes } from 'node:crypto';
import { readConfig } from '../src/server/config.ts';
import { loadDemo } from '../src/server/demo/load.ts';
import { openStore } from '../src/server/storage/open.ts';

const config = readConfig();
const store = await openStore(config);
const password = process.env.TAIZHANG_DEMO_PASSWORD || `demo-${randomBytes(6).toString('base64url')}`;
try {
  console.log(`正在装入演示数据（${store.kind === 'sqlite' ? config.dataDir : 'PostgreSQL'}）…`);
  const started = Date.now();
  const out = await loadDemo(store, config, { password, log: (line) => console.log(`  ${line}`) });
  if (!out.ok) {
    console.error(out.message);
    process.exitCode = 1;
  } else {
    console.log(`完成，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒。`);
    console.log(`\n所有演示账号的密码：${password}\n`);
    const shown = out.users.filter((u) => !/^wg\d{3}$/.test(u.username) || u.username.endsWith('011') || u.username.endsWith('012'));
    for (const u of shown) console.log(`  ${u.username.padEnd(14)} ${u.title}（${u.displayName}）`);
    console.log(`  wg<村序号><网格序号>  各网格网格员，共 ${out.users.filter((u) => /^wg\d{3}$/.test(u.username)).length} 个（如 wg011 = 第 1 个村第一网格）`);
    if (out.skippedUsers.length) console.log(`\n已存在、未改动的账号：${out.skippedUsers.join('、')}`);
    console.log(`\n用 zongzhiban 登录后打开 /office 查看 2024 年统计、导出和年度报告草稿。`);
  }
} finally {
  await store.close();
}
