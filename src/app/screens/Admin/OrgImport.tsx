// 从表格导入: download the template (.xlsx, codes as text), fill it in Excel, upload it (.xlsx or
// CSV). The file goes to the server as it is: the server reads it (CSV in UTF-8 or GB18030, an
// .xlsx workbook) and first answers a preview — the units it would create and change, or every
// wrong row in Chinese — which the admin confirms before anything is written.
import { useSignal } from '@preact/signals';
import { ORG_UNIT_KIND_LABELS } from '#shared/codes';
import { XLSX_TYPE, type OrgImportPlan, type OrgSheet, type RowError } from './api.ts';
import { useAdmin } from './admin-data.ts';
import { ErrorNote } from './Fields.tsx';

/**
 * The picked file as the import sends it: a ZIP is an .xlsx workbook, anything else CSV text.
 * An old binary .xls is refused here, with what to do, rather than as a file the server
 * cannot read.
 */
export async function readSheet(file: Blob & { name: string }): Promise<OrgSheet | { error: string }> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  const isZip = head[0] === 0x50 && head[1] === 0x4b;
  const isOldExcel = head[0] === 0xd0 && head[1] === 0xcf;
  if (isOldExcel || /\.xls$/i.test(file.name)) return { error: '不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或“CSV UTF-8”后再导入' };
  return { bytes: file, type: isZip ? XLSX_TYPE : 'text/csv' };
}

export function OrgImport(props: { onImported: (count: number) => void }) {
  const admin = useAdmin();
  const file = useSignal<File | undefined>(undefined);
  const error = useSignal<string | undefined>(undefined);
  const rows = useSignal<RowError[]>([]);
  const busy = useSignal(false);
  const plan = useSignal<{ sheet: OrgSheet; plan: OrgImportPlan } | undefined>(undefined);
  const units = admin.units.value ?? [];
  const nameOf = (id: string | null) =>
    id === null ? '（顶层）' : (units.find((u) => u.id === id)?.name ?? plan.value?.plan.creates.find((u) => u.id === id)?.name ?? id);

  const downloadTemplate = async () => {
    const r = await admin.api.downloadOrgTemplate();
    if (!r.ok) error.value = r.message;
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy.value) return;
    rows.value = [];
    if (!file.value) {
      error.value = '请先选择要导入的表格文件';
      return;
    }
    busy.value = true;
    error.value = undefined;
    const sheet = await readSheet(file.value);
    if ('error' in sheet) {
      busy.value = false;
      error.value = sheet.error;
      return;
    }
    const r = await admin.api.previewOrgImport(sheet);
    busy.value = false;
    if (!r.ok) {
      error.value = r.message;
      rows.value = r.rows ?? [];
      return;
    }
    plan.value = { sheet, plan: r.value };
  };

  const confirm = async () => {
    if (!plan.value || busy.value) return;
    busy.value = true;
    const r = await admin.api.importOrgUnits(plan.value.sheet);
    busy.value = false;
    if (!r.ok) {
      plan.value = undefined;
      error.value = r.message;
      rows.value = r.rows ?? [];
      return;
    }
    plan.value = undefined;
    await admin.reloadUnits();
    props.onImported(r.value.imported);
  };
  const p = plan.value?.plan;

  return (
    <form class="admin-form" onSubmit={(e) => void submit(e)} noValidate aria-label="从表格导入组织架构">
      <h3>从表格导入</h3>
      <ol class="admin-steps-text">
        <li>
          下载模板，用 Excel 或 WPS 打开。每行一个单位，列为：编号、上级编号、类型、名称、简称。
          <button type="button" class="admin-link" onClick={() => void downloadTemplate()}>
            下载导入模板
          </button>
        </li>
        <li>类型填：县、乡镇、村、社区、网格、调委会 或 派驻调解室。上级编号填上级单位的编号，也可以填上级的名称（重名时须填编号；顶层留空）。</li>
        <li>
          保存（Excel 的 .xlsx 或 CSV
          都可以），在下面选择文件后点“开始导入”。先显示将要新建和修改的单位，确认后才写入；有任何一行不对时不会导入任何数据。已有的编号会更新该单位，同一上级下不能有两个同名单位。
        </li>
      </ol>
      <div class="admin-field">
        <label for="org-sheet">表格文件（.xlsx 或 .csv）</label>
        <input
          id="org-sheet"
          type="file"
          name="sheet"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => {
            file.value = e.currentTarget.files?.[0];
            plan.value = undefined;
            rows.value = [];
            error.value = undefined;
          }}
        />
      </div>
      <ErrorNote message={error.value} />
      {rows.value.length > 0 && (
        <table class="admin-table" aria-label="有错误的行">
          <thead>
            <tr>
              <th scope="col">行</th>
              <th scope="col">列</th>
              <th scope="col">问题</th>
            </tr>
          </thead>
          <tbody>
            {rows.value.map((r, i) => (
              <tr key={i}>
                <td>第 {r.row} 行</td>
                <td>{r.column ?? ''}</td>
                <td>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p && (
        <div class="admin-existing" role="region" aria-label="导入预览">
          <h4>
            导入预览：将新建 {p.creates.length} 个单位，修改 {p.updates.length} 个，{p.unchanged} 行与现有一致
          </h4>
          {p.creates.length + p.updates.length > 0 && (
            <table class="admin-table" aria-label="将要导入的单位">
              <thead>
                <tr>
                  <th scope="col">操作</th>
                  <th scope="col">编号</th>
                  <th scope="col">类型</th>
                  <th scope="col">名称</th>
                  <th scope="col">上级</th>
                </tr>
              </thead>
              <tbody>
                {p.creates.map((u) => (
                  <tr key={`c-${u.id}`}>
                    <td>新建</td>
                    <td>{u.id}</td>
                    <td>{ORG_UNIT_KIND_LABELS[u.kind]}</td>
                    <td>{u.name}</td>
                    <td>{nameOf(u.parentId)}</td>
                  </tr>
                ))}
                {p.updates.map((u) => (
                  <tr key={`u-${u.after.id}`}>
                    <td>修改（第 {u.row} 行）</td>
                    <td>{u.after.id}</td>
                    <td>{ORG_UNIT_KIND_LABELS[u.after.kind]}</td>
                    <td>{u.before.name === u.after.name ? u.after.name : `${u.before.name} → ${u.after.name}`}</td>
                    <td>{u.before.parentId === u.after.parentId ? nameOf(u.after.parentId) : `${nameOf(u.before.parentId)} → ${nameOf(u.after.parentId)}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <div class="admin-actions">
        {p ? (
          <>
            <button type="button" class="admin-primary" disabled={busy.value || p.creates.length + p.updates.length === 0} onClick={() => void confirm()}>
              {busy.value ? '正在导入…' : '确认导入'}
            </button>
            <button type="button" class="admin-secondary" onClick={() => (plan.value = undefined)}>
              取消
            </button>
          </>
        ) : (
          <button type="submit" class="admin-primary" disabled={busy.value}>
            {busy.value ? '正在检查…' : '开始导入'}
          </button>
        )}
      </div>
    </form>
  );
}
