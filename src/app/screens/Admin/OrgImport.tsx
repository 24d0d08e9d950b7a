// 从表格导入: download the template, fill it in Excel, upload it (.xlsx or CSV). The file goes to
// the server as it is: the server reads it (CSV in UTF-8 or GB18030, an .xlsx workbook), checks
// every row and imports nothing unless all are right; the wrong rows are listed here in Chinese.
import { useSignal } from '@preact/signals';
import { XLSX_TYPE, type OrgSheet, type RowError } from './api.ts';
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
    const r = await admin.api.importOrgUnits(sheet);
    busy.value = false;
    if (!r.ok) {
      error.value = r.message;
      rows.value = r.rows ?? [];
      return;
    }
    await admin.reloadUnits();
    props.onImported(r.value.imported);
  };

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
        <li>类型填：乡镇、村、社区、网格、调委会 或 派驻调解室。上级编号填上级单位的编号（乡镇留空）。</li>
        <li>保存（Excel 的 .xlsx 或 CSV 都可以），在下面选择文件后点“开始导入”。有任何一行不对时不会导入任何数据，请按提示改好后再导入。</li>
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
      <div class="admin-actions">
        <button type="submit" class="admin-primary" disabled={busy.value}>
          {busy.value ? '正在导入…' : '开始导入'}
        </button>
      </div>
    </form>
  );
}
