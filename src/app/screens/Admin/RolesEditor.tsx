// The roles of one person: each row is a role and the org unit it holds on (a grid worker on
// a grid, a mediator on a committee…). The unit picker offers only units that role fits; what
// is wrong with a row, found here or by the server, shows at that row.
import { ORG_UNIT_KIND_LABELS, ROLE_LABELS } from '#shared/codes';
import { GRANT_KINDS } from '#shared/org-rules';
import type { Grant, OrgUnit, RoleCode } from './api.ts';
import { SelectField } from './Fields.tsx';
import { grantChoices } from './org-rules.ts';

const ROLE_HINTS: Record<RoleCode, string> = {
  grid_worker: '在所选网格（或村/社区）登记排查、纠纷和普法活动，只能看到那里的记录。',
  mediator: '办理所选调委会或村/社区的调解案件。',
  office: '查看所选单位及下级的统计和记录（个人信息默认打码），导出报表。',
  admin: '管理组织架构、账号、设备和审计日志。',
};

export interface DraftGrant {
  role: RoleCode | '';
  orgUnitId: string;
}

/** What is wrong with one row, and at which of its two pickers to say it. */
export interface RowProblem {
  at: 'role' | 'unit';
  message: string;
}

/**
 * Each row's problem (undefined for a row that is right), to show at the row: no role, no unit,
 * a unit the role cannot hold on (closed since, or of another kind: an account's old grant), or
 * the same role on the same unit as an earlier row. The server applies the same rules.
 */
export function rowProblems(rows: readonly DraftGrant[], units: readonly OrgUnit[]): (RowProblem | undefined)[] {
  return rows.map((r, i): RowProblem | undefined => {
    if (!r.role) return { at: 'role', message: '请选择角色' };
    if (r.role !== 'admin') {
      if (!r.orgUnitId) return { at: 'unit', message: `请选择${ROLE_LABELS[r.role]}所在的单位` };
      const unit = units.find((u) => u.id === r.orgUnitId);
      if (unit?.closedOn) return { at: 'unit', message: `${unit.name}已撤并，不能再分配角色` };
      if (unit && !GRANT_KINDS[r.role].includes(unit.kind)) {
        return { at: 'unit', message: `${ROLE_LABELS[r.role]}不能分配在${ORG_UNIT_KIND_LABELS[unit.kind]}上` };
      }
    }
    const same = rows.findIndex((x) => x.role === r.role && (r.role === 'admin' || x.orgUnitId === r.orgUnitId));
    if (same < i) return { at: r.role === 'admin' ? 'role' : 'unit', message: `与第 ${same + 1} 个角色重复` };
    return undefined;
  });
}

/**
 * The server's refusal of one row (its field roles.N, or roles.N.role / roles.N.orgUnitId from
 * the schema) as the rows' problems, at the row's unit picker (an admin row has only its role);
 * undefined when the refusal is not about a row of these.
 */
export function rowRefusal(field: string | undefined, message: string, rows: readonly DraftGrant[]): (RowProblem | undefined)[] | undefined {
  const m = /^roles\.(\d+)(?:\.(\w+))?$/.exec(field ?? '');
  const i = m ? Number(m[1]) : -1;
  const row = rows[i];
  if (!row) return undefined;
  const at = m?.[2] === 'role' || !row.role || row.role === 'admin' ? 'role' : 'unit';
  return rows.map((_, j) => (j === i ? { at, message } : undefined));
}

/** The rows as the API takes them (rows without a problem: see rowProblems). */
export function toGrants(rows: readonly DraftGrant[]): Grant[] {
  return rows.map((r) => ({ role: r.role as RoleCode, orgUnitId: r.role === 'admin' ? '*' : r.orgUnitId }));
}

export function RolesEditor(props: {
  units: readonly OrgUnit[];
  rows: DraftGrant[];
  onChange: (rows: DraftGrant[]) => void;
  /** Problems by row, shown at the picker they are about. */
  problems?: readonly (RowProblem | undefined)[];
}) {
  const set = (i: number, row: DraftGrant) => props.onChange(props.rows.map((r, j) => (j === i ? row : r)));
  const roleOptions = (Object.keys(ROLE_LABELS) as RoleCode[]).map((r) => ({ value: r, label: ROLE_LABELS[r] }));
  return (
    <fieldset class="admin-roles">
      <legend>角色</legend>
      {props.rows.map((row, i) => {
        const choices = row.role && row.role !== 'admin' ? grantChoices(props.units, row.role) : [];
        const problem = props.problems?.[i];
        return (
          <div class="admin-role-row" key={i} role="group" aria-label={`第 ${i + 1} 个角色`}>
            <SelectField
              label={`角色 ${i + 1}`}
              name={`role-${i}`}
              value={row.role}
              placeholder="请选择角色"
              options={roleOptions}
              onChange={(role) => {
                const fits = role !== 'admin' && grantChoices(props.units, role).some((c) => c.id === row.orgUnitId);
                set(i, { role, orgUnitId: fits ? row.orgUnitId : '' });
              }}
              hint={row.role ? ROLE_HINTS[row.role] : undefined}
              error={problem?.at === 'role' ? problem.message : undefined}
            />
            {row.role && row.role !== 'admin' && (
              <SelectField
                label={`${ROLE_LABELS[row.role]}所在单位`}
                name={`unit-${i}`}
                value={row.orgUnitId}
                placeholder={choices.length ? '请选择单位' : '没有可选的单位，请先在组织架构中添加'}
                options={choices.map((c) => ({ value: c.id, label: c.label }))}
                onChange={(orgUnitId) => set(i, { ...row, orgUnitId })}
                error={problem?.at === 'unit' ? problem.message : undefined}
              />
            )}
            {props.rows.length > 1 && (
              <button type="button" class="admin-link" onClick={() => props.onChange(props.rows.filter((_, j) => j !== i))}>
                删除角色 {i + 1}
              </button>
            )}
          </div>
        );
      })}
      <button type="button" class="admin-secondary" onClick={() => props.onChange([...props.rows, { role: '', orgUnitId: '' }])}>
        再加一个角色
      </button>
    </fieldset>
  );
}
