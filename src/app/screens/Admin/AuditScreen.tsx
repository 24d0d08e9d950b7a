// 审计日志: who did what and when, newest first, filtered by date, action and person; each
// opening of personal data shows with its reason. Export gives the same filter as a CSV for Excel.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { AdminUser, AuditEntry, AuditFilter, OrgUnit } from './api.ts';
import { useAdmin } from './admin-data.ts';
import { formatTime } from './AccountsScreen.tsx';
import { ErrorNote, SelectField, TextField } from './Fields.tsx';
import { unitPath } from './org-rules.ts';

const ACTION_LABELS: Record<string, string> = {
  login: '登录',
  'org_unit.created': '添加单位',
  'org_unit.updated': '修改单位',
  'org_unit.imported': '导入组织架构',
  'org_unit.closed': '撤并单位',
  'org_unit.moved': '移动单位',
  'user.created': '创建账号',
  'user.updated': '修改账号',
  'user.disabled': '停用账号',
  'user.password_reset': '重置密码',
  'device.revoked': '撤销设备',
  'personal_data.revealed': '查看个人信息',
  'records.viewed_unmasked': '查看未打码记录',
};

const PAGE = 50;
const ANY = '__any__';

export function AuditScreen() {
  const admin = useAdmin();
  const from = useSignal('');
  const to = useSignal('');
  const action = useSignal(ANY);
  const actorId = useSignal(ANY);
  const entries = useSignal<AuditEntry[] | undefined>(undefined);
  const nextBefore = useSignal<number | null>(null);
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);

  const filter = (): AuditFilter => ({
    ...(from.value ? { from: from.value } : {}),
    ...(to.value ? { to: to.value } : {}),
    ...(action.value !== ANY ? { action: action.value } : {}),
    ...(actorId.value !== ANY ? { actorId: actorId.value } : {}),
  });

  const load = async (more: boolean) => {
    if (busy.value) return;
    busy.value = true;
    error.value = undefined;
    const r = await admin.api.listAudit({ ...filter(), ...(more && nextBefore.value !== null ? { before: nextBefore.value } : {}) });
    busy.value = false;
    if (!r.ok) return void (error.value = r.message);
    entries.value = more ? [...(entries.value ?? []), ...r.value.entries] : r.value.entries;
    // The server pages by id; a short page means there is nothing older.
    nextBefore.value = r.value.entries.length >= PAGE ? r.value.nextBefore : null;
  };
  // Read once on opening; later reads are the admin's (查询, 加载更早的记录).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => void load(false), []);

  const exportCsv = async () => {
    const r = await admin.api.downloadAuditCsv(filter());
    if (!r.ok) error.value = r.message;
  };

  const users = admin.users.value ?? [];
  const units = admin.units.value ?? [];
  return (
    <section aria-labelledby="audit-title">
      <div class="admin-toolbar">
        <h2 id="audit-title">审计日志</h2>
        <button type="button" class="admin-secondary" onClick={() => void exportCsv()}>
          导出 CSV
        </button>
      </div>
      <form
        class="admin-filters"
        aria-label="筛选"
        onSubmit={(e) => {
          e.preventDefault();
          void load(false);
        }}
      >
        <TextField label="开始日期" name="from" type="date" value={from.value} onInput={(x) => (from.value = x)} />
        <TextField label="结束日期" name="to" type="date" value={to.value} onInput={(x) => (to.value = x)} />
        <SelectField
          label="操作"
          name="action"
          value={action.value}
          options={[{ value: ANY, label: '全部操作' }, ...Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }))]}
          onChange={(x) => (action.value = x)}
        />
        <SelectField
          label="操作人"
          name="actorId"
          value={actorId.value}
          options={[{ value: ANY, label: '所有人' }, ...users.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))]}
          onChange={(x) => (actorId.value = x)}
        />
        <div class="admin-actions">
          <button type="submit" class="admin-primary" disabled={busy.value}>
            查询
          </button>
        </div>
      </form>
      <ErrorNote message={error.value} />
      {entries.value?.length === 0 && <p class="admin-muted">没有符合条件的记录。</p>}
      {entries.value && entries.value.length > 0 && (
        <div class="admin-scroll">
          <table class="admin-table" aria-label="审计记录">
            <thead>
              <tr>
                <th scope="col">时间</th>
                <th scope="col">操作人</th>
                <th scope="col">操作</th>
                <th scope="col">对象</th>
                <th scope="col">原因</th>
              </tr>
            </thead>
            <tbody>
              {entries.value.map((e) => (
                <tr key={e.id}>
                  <td>{formatTime(e.at)}</td>
                  <td>{e.actorName ?? '系统'}</td>
                  <td>{ACTION_LABELS[e.action] ?? e.action}</td>
                  <td>{describeSubject(e, users, units)}</td>
                  <td>{e.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore.value !== null && (
        <button type="button" class="admin-secondary" disabled={busy.value} onClick={() => void load(true)}>
          加载更早的记录
        </button>
      )}
    </section>
  );
}

/** What an entry was about, by names a person knows: the account, the unit, the record. */
function describeSubject(e: AuditEntry, users: readonly AdminUser[], units: readonly OrgUnit[]): string {
  const detail = e.detail && typeof e.detail === 'object' ? (e.detail as Record<string, unknown>) : {};
  const user = e.subjectId ? users.find((u) => u.id === e.subjectId) : undefined;
  const unit = e.orgUnitId ? units.find((u) => u.id === e.orgUnitId) : undefined;
  const then = unitAtTheTime(e.action, detail, unit, units);
  const parts = [
    user ? `账号 ${user.displayName}（${user.username}）` : undefined,
    !user && typeof detail.username === 'string' ? `账号 ${detail.username}` : undefined,
    then ?? (unit ? unitPath(units, unit.id) : e.orgUnitId ? `单位 ${e.orgUnitId}` : undefined),
    then === undefined && !unit && typeof detail.name === 'string' ? detail.name : undefined,
    typeof detail.count === 'number' ? `${detail.count} 个单位` : undefined,
    e.action === 'device.revoked' ? '一台设备' : undefined,
    !user && e.subjectId && e.action !== 'device.revoked' ? `记录 ${e.subjectId.slice(0, 8)}` : undefined,
  ].filter((x): x is string => x !== undefined);
  return parts.join(' · ');
}

/**
 * The unit by the name it had when the entry was written (a rename: old → new), under its
 * parent's path of today, with today's name beside it when it has changed since. Undefined
 * for entries that kept no name (older ones, shown by today's path).
 */
function unitAtTheTime(action: string, detail: Record<string, unknown>, unit: OrgUnit | undefined, units: readonly OrgUnit[]): string | undefined {
  const name =
    typeof detail.unitName === 'string' ? detail.unitName : action === 'org_unit.created' && typeof detail.name === 'string' ? detail.name : undefined;
  if (name === undefined) return undefined;
  const named = typeof detail.previousName === 'string' ? `${detail.previousName} → ${name}` : name;
  const under = unit?.parentId ? `${unitPath(units, unit.parentId)} / ` : '';
  return `${under}${named}${unit && unit.name !== name ? `（现名 ${unit.name}）` : ''}`;
}
