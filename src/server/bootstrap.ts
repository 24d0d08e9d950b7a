// First run: on an empty users table, create `admin` with TAIZHANG_ADMIN_PASSWORD, or with
// a generated password printed once to stdout (it is stored only as a hash).
import { randomBytes, randomUUID } from 'node:crypto';
import { passwordProblem } from '#shared/passwords';
import { hashPassword, MIN_PASSWORD_LENGTH } from './access/passwords.ts';
import type { AccountStore } from './storage/account-store.ts';

const FIRST_ADMIN_USERNAME = 'admin';

export type BootstrapResult = { created: false } | { created: true; generatedPassword?: string };

export async function ensureFirstAdmin(
  store: AccountStore,
  { adminPassword, clock = () => new Date(), log = console.log }: { adminPassword: string | undefined; clock?: () => Date; log?: (line: string) => void },
): Promise<BootstrapResult> {
  if ((await store.countUsers()) > 0) return { created: false };
  if (adminPassword !== undefined && adminPassword.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`TAIZHANG_ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  // The same rule as for every account the admin makes: the first admin's password guards them all.
  const weak = adminPassword === undefined ? undefined : passwordProblem(adminPassword, FIRST_ADMIN_USERNAME);
  if (weak) throw new Error(`TAIZHANG_ADMIN_PASSWORD: ${weak}`);
  const password = adminPassword ?? randomBytes(12).toString('base64url');
  const result = await store.insertUser({
    id: randomUUID(),
    username: FIRST_ADMIN_USERNAME,
    displayName: '管理员',
    passwordHash: await hashPassword(password),
    roles: [{ role: 'admin', orgUnitId: null }],
    createdAt: clock(),
  });
  // Another server sharing the database may have created it first.
  if (result === 'duplicate') return { created: false };
  if (adminPassword !== undefined) {
    log(`已创建管理员账号 ${FIRST_ADMIN_USERNAME}（密码来自 TAIZHANG_ADMIN_PASSWORD）`);
    return { created: true };
  }
  log(`已创建管理员账号 ${FIRST_ADMIN_USERNAME}，初始密码：${password}`);
  log('（此密码只显示这一次，请登录后在“账号管理”中修改）');
  return { created: true, generatedPassword: password };
}
