// 账号: everyone who can log in, with their roles; create an account, change roles, reset a
// password, disable an account, and see / revoke the devices it is logged in on.
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import * as v from 'valibot';
import { NewUserRequest, USERNAME_RULE } from '#shared/api/admin';
import { ROLE_LABELS } from '#shared/codes';
import { issueMessage } from '#shared/issues';
import type { AdminUser, ApiResult, Device, OrgUnit } from './api.ts';
import { useAdmin } from './admin-data.ts';
import { useFocusOnRefusal } from '../../hooks/use-focus-on-refusal.ts';
import { DoneNote, ErrorNote, TextField } from './Fields.tsx';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '#shared/passwords';
import { unitPath } from './org-rules.ts';
import { RolesEditor, rowProblems, rowRefusal, toGrants, type DraftGrant, type RowProblem } from './RolesEditor.tsx';

export function describeGrants(user: AdminUser, units: readonly OrgUnit[]): string {
  return user.roles
    .map((g) => {
      if (g.role === 'admin') return ROLE_LABELS.admin;
      const unit = units.find((u) => u.id === g.orgUnitId);
      return `${ROLE_LABELS[g.role]} · ${unit ? unitPath(units, unit.id) : g.orgUnitId}`;
    })
    .join('；');
}

/** Accounts whose name, username or units contain the text (all when it is blank). */
export function filterUsers(users: readonly AdminUser[], units: readonly OrgUnit[], text: string): AdminUser[] {
  const q = text.trim().toLowerCase();
  if (!q) return [...users];
  return users.filter((u) => `${u.displayName} ${u.username} ${describeGrants(u, units)}`.toLowerCase().includes(q));
}

export function AccountsScreen() {
  const admin = useAdmin();
  const creating = useSignal(false);
  const openId = useSignal<string | undefined>(undefined);
  const done = useSignal<string | undefined>(undefined);
  const search = useSignal('');
  // Opening the tab shows accounts made elsewhere meanwhile (another admin, the API).
  useEffect(() => void admin.reloadUsers(), [admin]);
  const users = admin.users.value;
  const units = admin.units.value ?? [];
  if (!users) return <p class="admin-muted">正在读取账号…</p>;

  return (
    <section aria-labelledby="accounts-title">
      <div class="admin-toolbar">
        <h2 id="accounts-title">账号</h2>
        <button type="button" class="admin-primary" onClick={() => ((creating.value = true), (done.value = undefined))}>
          新建账号
        </button>
      </div>
      <DoneNote message={done.value} />
      {creating.value && (
        <NewUserForm
          units={units}
          onCreated={(u) => {
            creating.value = false;
            done.value = `已创建账号 ${u.username}（${u.displayName}），请把用户名和初始密码交给本人`;
          }}
          onCancel={() => (creating.value = false)}
        />
      )}
      {users.length > 8 && (
        <TextField label="查找账号" name="search" value={search.value} onInput={(x) => (search.value = x)} placeholder="姓名、用户名或单位" />
      )}
      <ul class="admin-users" aria-label="账号列表">
        {filterUsers(users, units, search.value).map((u) => (
          <li key={u.id} class={u.disabled ? 'admin-user is-disabled' : 'admin-user'}>
            <div class="admin-user-head">
              <div>
                <strong>{u.displayName}</strong> <span class="admin-muted">{u.username}</span>
                {u.disabled && <span class="admin-badge">已停用</span>}
                <div class="admin-muted">{describeGrants(u, units)}</div>
              </div>
              <button
                type="button"
                class="admin-secondary"
                aria-expanded={openId.value === u.id}
                onClick={() => (openId.value = openId.value === u.id ? undefined : u.id)}
              >
                {openId.value === u.id ? '收起' : `管理 ${u.username}`}
              </button>
            </div>
            {openId.value === u.id && <UserPanel user={u} units={units} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A new account's problems, each at its field; `form` for what belongs to no one field. */
interface NewUserProblems {
  username?: string;
  displayName?: string;
  password?: string;
  roles?: (RowProblem | undefined)[];
  form?: string;
}

const hasProblem = (p: NewUserProblems) => Object.values(p).some((x) => (Array.isArray(x) ? x.some(Boolean) : x !== undefined));

type Refusal = Extract<ApiResult<unknown>, { ok: false }>;

/** Every problem of the form at once, before sending. */
function checkNewUser(username: string, displayName: string, password: string, rows: readonly DraftGrant[], units: readonly OrgUnit[]): NewUserProblems {
  const name = v.safeParse(NewUserRequest.entries.username, username);
  const weak = passwordProblem(password, username);
  const roles = rowProblems(rows, units);
  return {
    ...(!username ? { username: '请填写用户名' } : !name.success ? { username: issueMessage(name.issues[0]) } : {}),
    ...(!displayName ? { displayName: '请填写姓名' } : {}),
    ...(weak ? { password: weak } : {}),
    ...(rows.length === 0 ? { form: '请至少分配一个角色' } : roles.some(Boolean) ? { roles } : {}),
  };
}

/** The server's refusal at the field it names, else under the form. */
function refusalProblems(r: Refusal, rows: readonly DraftGrant[]): NewUserProblems {
  if (r.field === 'username') return { username: r.message };
  if (r.field === 'password') return { password: r.message };
  if (r.field === 'displayName') return { displayName: r.message };
  const roles = rowRefusal(r.field, r.message, rows);
  return roles ? { roles } : { form: r.message };
}

export function NewUserForm(props: { units: readonly OrgUnit[]; onCreated: (u: AdminUser) => void; onCancel?: () => void }) {
  const admin = useAdmin();
  const username = useSignal('');
  const displayName = useSignal('');
  const password = useSignal('');
  const rows = useSignal<DraftGrant[]>([{ role: '', orgUnitId: '' }]);
  const problems = useSignal<NewUserProblems>({});
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);
  const refused = useFocusOnRefusal(form);
  const refuse = (p: NewUserProblems) => {
    problems.value = p;
    refused();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy.value) return;
    const checked = checkNewUser(username.value.trim(), displayName.value.trim(), password.value, rows.value, props.units);
    if (hasProblem(checked)) return refuse(checked);
    busy.value = true;
    problems.value = {};
    const r = await admin.api.createUser({
      username: username.value.trim(),
      displayName: displayName.value.trim(),
      password: password.value,
      roles: toGrants(rows.value),
    });
    busy.value = false;
    if (!r.ok) return refuse(refusalProblems(r, rows.value));
    await admin.reloadUsers();
    props.onCreated(r.value);
  };

  return (
    <form ref={form} class="admin-form admin-card" onSubmit={(e) => void submit(e)} noValidate aria-label="新建账号">
      <h3>新建账号</h3>
      <TextField
        label="用户名（登录用）"
        name="username"
        value={username.value}
        onInput={(x) => (username.value = x)}
        hint={`${USERNAME_RULE}，如 wangge01。建好后不能修改。`}
        error={problems.value.username}
      />
      <TextField
        label="姓名"
        name="displayName"
        value={displayName.value}
        onInput={(x) => (displayName.value = x)}
        placeholder="如：张伟"
        error={problems.value.displayName}
      />
      <TextField
        label="初始密码"
        name="password"
        type="password"
        autocomplete="new-password"
        value={password.value}
        onInput={(x) => (password.value = x)}
        hint={`至少 ${MIN_PASSWORD_LENGTH} 位。请当面告诉本人。`}
        error={problems.value.password}
      />
      <RolesEditor units={props.units} rows={rows.value} onChange={(r) => (rows.value = r)} problems={problems.value.roles} />
      <ErrorNote message={problems.value.form} />
      <div class="admin-actions">
        <button type="submit" class="admin-primary" disabled={busy.value}>
          {busy.value ? '正在创建…' : '创建账号'}
        </button>
        {props.onCancel && (
          <button type="button" class="admin-secondary" onClick={props.onCancel}>
            取消
          </button>
        )}
      </div>
    </form>
  );
}

/** One small form's problems: at its field (or, for the roles, at their rows), else under the form. */
interface PanelProblems {
  field?: string;
  rows?: (RowProblem | undefined)[];
  form?: string;
}

function UserPanel(props: { user: AdminUser; units: readonly OrgUnit[] }) {
  const admin = useAdmin();
  const { user } = props;
  const rows = useSignal<DraftGrant[]>(user.roles.map((g) => ({ role: g.role, orgUnitId: g.role === 'admin' ? '' : g.orgUnitId })));
  const password = useSignal('');
  const displayName = useSignal(user.displayName);
  const error = useSignal<string | undefined>(undefined);
  const done = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  /** Bumped when a change logs devices out (a reset, disabling): the device list reads again. */
  const devicesChanged = useSignal(0);
  // Each of the three forms says its problems at its own fields and brings the first into view.
  const nameProblems = useSignal<PanelProblems>({});
  const rolesProblems = useSignal<PanelProblems>({});
  const passwordProblems = useSignal<PanelProblems>({});
  const nameForm = useRef<HTMLFormElement>(null);
  const rolesForm = useRef<HTMLFormElement>(null);
  const passwordForm = useRef<HTMLFormElement>(null);
  const nameRefused = useFocusOnRefusal(nameForm);
  const rolesRefused = useFocusOnRefusal(rolesForm);
  const passwordRefused = useFocusOnRefusal(passwordForm);

  /** Runs one change: a string is what was done; a refusal is said where `refuse` puts it. */
  const act = async (work: () => Promise<string | undefined>) => {
    if (busy.value) return;
    busy.value = true;
    error.value = undefined;
    done.value = undefined;
    nameProblems.value = {};
    rolesProblems.value = {};
    passwordProblems.value = {};
    const outcome = await work();
    busy.value = false;
    if (outcome !== undefined) done.value = outcome;
  };
  const refuse = (where: typeof nameProblems, refused: () => void, problems: PanelProblems) => {
    where.value = problems;
    refused();
    return undefined;
  };
  /** A refusal of a one-field form: at that field when the server names it, else under the form. */
  const atField = (r: Refusal, field: string): PanelProblems => (r.field === field ? { field: r.message } : { form: r.message });

  const saveName = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      if (!displayName.value.trim()) return refuse(nameProblems, nameRefused, { field: '请填写姓名' });
      const r = await admin.api.updateUser(user.id, { displayName: displayName.value.trim() });
      if (!r.ok) return refuse(nameProblems, nameRefused, atField(r, 'displayName'));
      await admin.reloadUsers();
      return '姓名已保存';
    });
  };

  const saveRoles = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      if (rows.value.length === 0) return refuse(rolesProblems, rolesRefused, { form: '请至少分配一个角色' });
      const problems = rowProblems(rows.value, props.units);
      if (problems.some(Boolean)) return refuse(rolesProblems, rolesRefused, { rows: problems });
      const r = await admin.api.updateUser(user.id, { roles: toGrants(rows.value) });
      if (!r.ok) {
        const refusedRows = rowRefusal(r.field, r.message, rows.value);
        return refuse(rolesProblems, rolesRefused, refusedRows ? { rows: refusedRows } : { form: r.message });
      }
      await admin.reloadUsers();
      return '角色已保存';
    });
  };

  const resetPassword = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      const weak = passwordProblem(password.value, user.username);
      if (weak) return refuse(passwordProblems, passwordRefused, { field: weak });
      const r = await admin.api.resetPassword(user.id, password.value);
      if (!r.ok) return refuse(passwordProblems, passwordRefused, atField(r, 'password'));
      password.value = '';
      devicesChanged.value++;
      return `密码已重置，${r.value.revokedTokens} 台设备已退出登录，需用新密码重新登录`;
    });
  };

  const toggleDisabled = () =>
    void act(async () => {
      if (!user.disabled && !confirm(`停用 ${user.displayName}（${user.username}）的账号？停用后他的所有设备都会退出登录。`)) {
        error.value = '已取消';
        return undefined;
      }
      const r = await admin.api.updateUser(user.id, { disabled: !user.disabled });
      if (!r.ok) {
        error.value = r.message;
        return undefined;
      }
      devicesChanged.value++;
      await admin.reloadUsers();
      return r.value.disabled ? '账号已停用，所有设备已退出登录' : '账号已启用';
    });

  return (
    <div class="admin-user-panel">
      <form ref={nameForm} class="admin-form admin-inline" onSubmit={saveName} noValidate aria-label={`${user.username} 的姓名`}>
        <TextField label="姓名" name="displayName" value={displayName.value} onInput={(x) => (displayName.value = x)} error={nameProblems.value.field} />
        <button type="submit" class="admin-secondary" disabled={busy.value}>
          保存姓名
        </button>
        <ErrorNote message={nameProblems.value.form} />
      </form>
      <form ref={rolesForm} class="admin-form" onSubmit={saveRoles} noValidate aria-label={`${user.username} 的角色`}>
        <RolesEditor units={props.units} rows={rows.value} onChange={(r) => (rows.value = r)} problems={rolesProblems.value.rows} />
        <ErrorNote message={rolesProblems.value.form} />
        <div class="admin-actions">
          <button type="submit" class="admin-primary" disabled={busy.value}>
            保存角色
          </button>
        </div>
      </form>
      <form ref={passwordForm} class="admin-form" onSubmit={resetPassword} noValidate aria-label={`重置 ${user.username} 的密码`}>
        <TextField
          label="新密码"
          name="newPassword"
          type="password"
          autocomplete="new-password"
          value={password.value}
          onInput={(x) => (password.value = x)}
          hint={`至少 ${MIN_PASSWORD_LENGTH} 位。重置后，此人所有设备都要用新密码重新登录。`}
          error={passwordProblems.value.field}
        />
        <ErrorNote message={passwordProblems.value.form} />
        <div class="admin-actions">
          <button type="submit" class="admin-secondary" disabled={busy.value}>
            重置密码
          </button>
        </div>
      </form>
      <div class="admin-actions">
        <button type="button" class={user.disabled ? 'admin-secondary' : 'admin-danger'} disabled={busy.value} onClick={toggleDisabled}>
          {user.disabled ? '启用账号' : '停用账号'}
        </button>
      </div>
      <ErrorNote message={error.value} />
      <DoneNote message={done.value} />
      <DeviceList userId={user.id} changed={devicesChanged.value} />
    </div>
  );
}

function DeviceList(props: { userId: string; changed: number }) {
  const admin = useAdmin();
  const devices = useSignal<Device[] | undefined>(undefined);
  const error = useSignal<string | undefined>(undefined);
  const load = async () => {
    const r = await admin.api.listDevices(props.userId);
    if (r.ok) devices.value = r.value;
    else error.value = r.message;
  };
  // Read again for another account, or after a change that logged its devices out.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => void load(), [props.userId, props.changed]);

  const revoke = async (d: Device) => {
    if (!confirm(`撤销“${d.deviceName ?? '未命名设备'}”的登录？该设备上未上传的记录会保留，重新登录后继续上传。`)) return;
    const r = await admin.api.revokeDevice(d.id);
    if (!r.ok) error.value = r.message;
    await load();
  };

  return (
    <div class="admin-devices">
      <h4>已登录的设备</h4>
      {devices.value === undefined && !error.value && <p class="admin-muted">正在读取…</p>}
      {devices.value?.length === 0 && <p class="admin-muted">没有已登录的设备。</p>}
      {devices.value && devices.value.length > 0 && (
        <ul>
          {devices.value.map((d) => (
            <li key={d.id}>
              <span>
                {d.deviceName ?? '未命名设备'} · 登录于 {formatTime(d.createdAt)} · 最近使用 {formatTime(d.lastUsedAt)}
              </span>
              <button type="button" class="admin-danger" onClick={() => void revoke(d)}>
                撤销
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorNote message={error.value} />
    </div>
  );
}

/** "2025-03-01 16:05" in Beijing time, whatever the PC's zone. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
