// Setting up people and places through the admin API, and logging in through the UI as a
// user would (login, then the PIN chosen on first use).
import type { Page } from 'playwright-core';

export const ADMIN = { username: 'admin', password: 'admin-pass-123' };
const DEFAULT_PIN = '2468';

export interface Account {
  id: string;
  username: string;
  password: string;
  displayName: string;
}

export interface SeededTown {
  adminToken: string;
  townId: string;
  villageId: string;
  gridId: string;
  /** A second grid of the same village. */
  otherGridId: string;
  committeeId: string;
  /** Grid worker of `gridId`. */
  gridWorker: Account;
  /** Mediator of the village's committee: reads and writes the whole village. */
  mediator: Account;
  /** Grid worker of `otherGridId`. */
  otherGridWorker: Account;
}

async function call<T>(serverUrl: string, method: string, path: string, body: unknown, token?: string): Promise<T> {
  const r = await fetch(`${serverUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path} → ${r.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function loginApi(serverUrl: string, username: string, password: string): Promise<string> {
  return (await call<{ token: string }>(serverUrl, 'POST', '/api/auth/login', { username, password })).token;
}

async function createOrgUnit(
  serverUrl: string,
  token: string,
  unit: { id?: string; parentId: string | null; kind: string; name: string; shortName?: string; code?: string },
): Promise<string> {
  return (await call<{ id: string }>(serverUrl, 'POST', '/api/admin/org-units', unit, token)).id;
}

export async function createUser(
  serverUrl: string,
  token: string,
  user: { username: string; password: string; displayName: string; roles: { role: string; orgUnitId: string }[] },
): Promise<Account> {
  const created = await call<{ id: string }>(serverUrl, 'POST', '/api/admin/users', user, token);
  return { id: created.id, username: user.username, password: user.password, displayName: user.displayName };
}

/** A town with one village, two grids and the village's mediation committee, and three field users. */
export async function seedTown(serverUrl: string, suffix = ''): Promise<SeededTown> {
  const adminToken = await loginApi(serverUrl, ADMIN.username, ADMIN.password);
  const townId = await createOrgUnit(serverUrl, adminToken, { id: `jiangkou${suffix}`, parentId: null, kind: 'town', name: '江口镇', shortName: '江口' });
  const villageId = await createOrgUnit(serverUrl, adminToken, { id: `shiba${suffix}`, parentId: townId, kind: 'village', name: '石坝村', shortName: '石坝' });
  const gridId = await createOrgUnit(serverUrl, adminToken, { id: `shiba-g1${suffix}`, parentId: villageId, kind: 'grid', name: '第一网格' });
  const otherGridId = await createOrgUnit(serverUrl, adminToken, { id: `shiba-g2${suffix}`, parentId: villageId, kind: 'grid', name: '第二网格' });
  const committeeId = await createOrgUnit(serverUrl, adminToken, {
    id: `shiba-tjh${suffix}`,
    parentId: villageId,
    kind: 'committee',
    name: '石坝村人民调解委员会',
    shortName: '石坝',
  });
  const gridWorker = await createUser(serverUrl, adminToken, {
    username: `wang${suffix}`,
    password: 'field-pass-123',
    displayName: '王网格',
    roles: [{ role: 'grid_worker', orgUnitId: gridId }],
  });
  const mediator = await createUser(serverUrl, adminToken, {
    username: `zhao${suffix}`,
    password: 'field-pass-123',
    displayName: '赵调解',
    roles: [{ role: 'mediator', orgUnitId: committeeId }],
  });
  const otherGridWorker = await createUser(serverUrl, adminToken, {
    username: `liu${suffix}`,
    password: 'field-pass-123',
    displayName: '刘网格',
    roles: [{ role: 'grid_worker', orgUnitId: otherGridId }],
  });
  return { adminToken, townId, villageId, gridId, otherGridId, committeeId, gridWorker, mediator, otherGridWorker };
}

/**
 * Logs in through the login screen and, on the first login on this phone, chooses the PIN.
 * Resolves once the app's screens are showing.
 */
export async function loginInUi(page: Page, username: string, password: string, pin = DEFAULT_PIN): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  const pinSetup = page.getByLabel('再次输入 PIN');
  const unlocked = page.getByRole('button', { name: '立即同步' });
  await pinSetup.or(unlocked).first().waitFor();
  if (await pinSetup.isVisible()) {
    await page.getByLabel('PIN', { exact: true }).fill(pin);
    await pinSetup.fill(pin);
    await page.getByRole('button', { name: '确定' }).click();
  }
  await page.getByLabel('用户名').waitFor({ state: 'detached' });
  await page.getByLabel('PIN', { exact: true }).waitFor({ state: 'detached' });
}

/** Answers the PIN lock after the phone was idle. */
export async function unlockInUi(page: Page, pin = DEFAULT_PIN): Promise<void> {
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: '解锁' }).click();
  await page.getByLabel('PIN', { exact: true }).waitFor({ state: 'detached' });
}
