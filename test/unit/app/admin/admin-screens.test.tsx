// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { filterUsers } from '../../../../src/app/screens/Admin/AccountsScreen.tsx';
import { createAdminData } from '../../../../src/app/screens/Admin/admin-data.ts';
import { AdminShell } from '../../../../src/app/screens/Admin/AdminShell.tsx';
import { fakeAdminApi, unit, type FakeAdminApi } from './fake-api.ts';

const host = () => document.body.querySelector('#host') ?? document.body.appendChild(Object.assign(document.createElement('div'), { id: 'host' }));
afterEach(() => {
  render(null, host());
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const settle = () =>
  act(async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  });

async function show(api: FakeAdminApi, path: string) {
  const routed: string[] = [];
  void act(() => render(<AdminShell data={createAdminData(api)} path={path} navigate={(url) => routed.push(url)} />, host()));
  await settle();
  return routed;
}

/** The control whose visible label text starts with `label`. */
function field<T extends HTMLElement = HTMLInputElement>(label: string, within: ParentNode = host()): T {
  const found = [...within.querySelectorAll('label')].find((l) => l.textContent?.startsWith(label));
  const control = found && within.querySelector(`[id="${found.htmlFor}"]`);
  if (!control) throw new Error(`no field labelled ${label}`);
  return control as unknown as T;
}
/** The error shown at the field, as its aria-describedby names it. */
function fieldError(label: string, within?: ParentNode): string | undefined {
  const control = field<HTMLElement>(label, within);
  const ids = control.getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids.filter((id) => id.endsWith('-error')).map((id) => document.getElementById(id))[0];
  return error?.textContent ?? undefined;
}
async function type(label: string, value: string, within?: ParentNode) {
  const input = field(label, within);
  await act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
async function choose(label: string, value: string, within?: ParentNode) {
  const select = field<HTMLSelectElement>(label, within);
  await act(() => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
const button = (name: string, within: ParentNode = host()) =>
  [...within.querySelectorAll('button')].find((b) => b.textContent?.trim() === name) as HTMLButtonElement | undefined;
async function click(name: string, within?: ParentNode) {
  const b = button(name, within);
  if (!b) throw new Error(`no button ${name}`);
  await act(() => b.click());
  await settle();
}
const text = () => host().textContent ?? '';

describe('first run', () => {
  test('an empty tree opens the walk-through at 步骤 1, and creating the town unlocks the next step', async () => {
    const api = fakeAdminApi();
    await show(api, '/admin');
    expect(host().querySelector('#setup-title')?.textContent).toBe('设置向导');
    expect(text()).toContain('步骤 1：创建乡镇');
    expect(button('下一步：添加村/社区')?.disabled).toBe(true);

    // The county comes first: the report's letterhead and 主送 name it.
    await type('县名称', '云阳县');
    await click('添加县');
    expect(api.createOrgUnit).toHaveBeenCalledWith({ kind: 'county', name: '云阳县', shortName: null, code: null, parentId: null });
    expect(text()).toContain('已创建“云阳县”');
    expect(button('下一步：添加村/社区')?.disabled).toBe(true);

    await type('乡镇名称', '江口镇');
    await type('简称', '江口');
    // The short name's explanation shows the case number it will produce.
    expect(text()).toMatch(/（\d{4}）江口人调字第001号/);
    await click('添加乡镇');

    expect(api.createOrgUnit).toHaveBeenCalledWith({ kind: 'town', name: '江口镇', shortName: '江口', code: null, parentId: 'county-1' });
    expect(text()).toContain('已创建“江口镇”');
    expect(button('下一步：添加村/社区')?.disabled).toBe(false);
    await click('下一步：添加村/社区');
    expect(text()).toContain('步骤 2：添加村/社区');
    expect(text()).toContain('在“江口镇”下添加');
  });

  test('with villages but no grids it opens at 步骤 3 and adds grids under the chosen village', async () => {
    const api = fakeAdminApi([unit('t', null, 'town', '江口镇', '江口'), unit('v1', 't', 'village', '向阳村'), unit('v2', 't', 'village', '帆水村')]);
    await show(api, '/admin/setup');
    expect(text()).toContain('步骤 3：添加网格');
    await choose('所属村/社区', 'v2');
    await type('网格名称', '帆水村第一网格');
    await click('添加网格');
    expect(api.createOrgUnit).toHaveBeenCalledWith(expect.objectContaining({ kind: 'grid', parentId: 'v2', name: '帆水村第一网格' }));
  });

  test('a tree that exists lands on 组织架构, not the walk-through', async () => {
    const api = fakeAdminApi([unit('t', null, 'town', '江口镇', '江口'), unit('v1', 't', 'village', '向阳村')]);
    await show(api, '/admin');
    expect(host().querySelector('h2#org-title')?.textContent).toBe('组织架构');
    expect([...host().querySelectorAll('[role=treeitem] .admin-node')].map((b) => b.textContent)).toEqual(['乡镇 江口镇（简称 江口）', '村 向阳村']);
  });
});

describe('admin frame', () => {
  test('has no <main> of its own: it sits in the app shell’s one main landmark', async () => {
    await show(fakeAdminApi([unit('t', null, 'town', '江口镇')]), '/admin');
    expect(host().querySelector('h2#org-title')).not.toBeNull();
    expect(host().querySelectorAll('main')).toHaveLength(0);
  });
});

describe('组织架构', () => {
  test('a unit can be renamed and moved to another village; the server’s refusal shows next to the form', async () => {
    const api = fakeAdminApi([
      unit('t', null, 'town', '江口镇'),
      unit('v1', 't', 'village', '向阳村'),
      unit('v2', 't', 'village', '帆水村'),
      unit('g1', 'v1', 'grid', '第一网格'),
    ]);
    await show(api, '/admin/org');
    await click('网格 第一网格');
    await click('修改名称、简称或上级');
    await type('网格名称', '向阳一组网格');
    await choose('上级单位', 'v2');
    await click('保存修改');
    expect(api.updateOrgUnit).toHaveBeenCalledWith('g1', { name: '向阳一组网格', shortName: null, code: null, parentId: 'v2' });
    expect(text()).toContain('已保存“向阳一组网格”');

    api.updateOrgUnit = async () => ({ ok: false, status: 409, code: 'duplicate', message: '代码已被使用' });
    await click('修改名称、简称或上级');
    await type('代码', '500235');
    await click('保存修改');
    expect(host().querySelector('[role=alert]')?.textContent).toBe('代码已被使用');
  });

  test('a name a sibling has is refused at the name field, when adding and when renaming', async () => {
    const api = fakeAdminApi([
      unit('t', null, 'town', '江口镇'),
      unit('v1', 't', 'village', '向阳村'),
      unit('g1', 'v1', 'grid', '向阳村第一网格'),
      unit('g2', 'v1', 'grid', '向阳村第二网格'),
    ]);
    await show(api, '/admin/org');
    await click('村 向阳村');
    await type('网格名称', '向阳村第一网格');
    await click('添加网格', host().querySelector('.admin-panel form')!);
    expect(fieldError('网格名称')).toBe('向阳村下已有同名单位“向阳村第一网格”');
    expect(field('网格名称').getAttribute('aria-invalid')).toBe('true');
    expect(api.units).toHaveLength(4);

    await click('网格 向阳村第二网格');
    await click('修改名称、简称或上级');
    await type('网格名称', '向阳村第一网格');
    await click('保存修改');
    expect(fieldError('网格名称')).toBe('向阳村下已有同名单位“向阳村第一网格”');
    await type('网格名称', '');
    await click('保存修改');
    expect(fieldError('网格名称')).toBe('请填写名称');
  });

  test('the server’s refusal of a name, a code or a parent lands at that field, focused, its text selected', async () => {
    const api = fakeAdminApi([
      unit('t', null, 'town', '江口镇'),
      unit('v1', 't', 'village', '向阳村'),
      unit('v2', 't', 'village', '帆水村'),
      unit('g1', 'v1', 'grid', '向阳村第一网格'),
    ]);
    await show(api, '/admin/org');
    await click('村 向阳村');
    const form = host().querySelector('.admin-panel form')!;
    await type('网格名称', '向阳村第一网格', form);
    await click('添加网格', form);
    const name = field('网格名称', form);
    expect(document.activeElement).toBe(name);
    expect([name.selectionStart, name.selectionEnd]).toEqual([0, '向阳村第一网格'.length]);

    api.createOrgUnit = vi.fn(async () => ({ ok: false as const, status: 409, code: 'duplicate', message: '编号或代码已被使用', field: 'code' }));
    await type('网格名称', '向阳村第二网格', form);
    await type('代码', '500235110201', form);
    await click('添加网格', form);
    expect(fieldError('网格名称', form)).toBeUndefined();
    expect(fieldError('代码', form)).toBe('编号或代码已被使用');
    const code = field('代码', form);
    expect(document.activeElement).toBe(code);
    expect([code.selectionStart, code.selectionEnd]).toEqual([0, 12]);
    expect(form.querySelector('.admin-error')).toBeNull();

    await click('网格 向阳村第一网格');
    await click('修改名称、简称或上级');
    const edit = host().querySelector('form[aria-label="修改网格“向阳村第一网格”"]')!;
    api.updateOrgUnit = vi.fn(async () => ({
      ok: false as const,
      status: 400,
      code: 'invalid_parent',
      message: '上级组织帆水村已撤并，不能移到其下',
      field: 'parentId',
    }));
    await choose('上级单位', 'v2', edit);
    await click('保存修改', edit);
    expect(fieldError('上级单位', edit)).toBe('上级组织帆水村已撤并，不能移到其下');
    expect(document.activeElement).toBe(field('上级单位', edit));
    // A refusal about none of its fields is said under the form.
    api.updateOrgUnit = vi.fn(async () => ({ ok: false as const, status: 404, code: 'not_found', message: '找不到该组织' }));
    await click('保存修改', edit);
    expect(fieldError('上级单位', edit)).toBeUndefined();
    expect(edit.querySelector('.admin-error')?.textContent).toBe('找不到该组织');
  });

  test('撤并: merges a village into another with its grid, and the tree then shows it as 已撤并 with date and successor', async () => {
    const api = fakeAdminApi([
      unit('t', null, 'town', '江口镇'),
      unit('v1', 't', 'village', '向阳村'),
      unit('v2', 't', 'village', '帆水村'),
      unit('g1', 'v1', 'grid', '第一网格'),
      unit('c1', 'v1', 'committee', '向阳村人民调解委员会'),
      unit('gx', 'v2', 'grid', '帆水网格'),
    ]);
    vi.stubGlobal('confirm', () => true);
    await show(api, '/admin/org');
    await click('村 向阳村');
    await click('撤并…');
    // Only open units of the village's level are offered as successor.
    const options = [...field<HTMLSelectElement>('并入单位').options].map((o) => o.textContent);
    expect(options).toEqual(['不并入其他单位（只撤销）', '江口镇 / 帆水村']);
    await type('撤并日期', '2025-07-01');
    await choose('并入单位', 'v2');
    // The grid follows by default, the committee cannot (it closes).
    const boxes = [...host().querySelectorAll<HTMLInputElement>('input[name=moveChildren]')].map((b) => [b.value, b.checked, b.disabled]);
    expect(boxes).toEqual([
      ['g1', true, false],
      ['c1', false, true],
    ]);
    await click('撤并并入帆水村');
    expect(api.closeOrgUnit).toHaveBeenCalledWith('v1', { closedOn: '2025-07-01', successorId: 'v2', moveChildren: ['g1'] });
    expect(text()).toContain('“向阳村”已自2025年7月1日起并入帆水村');
    expect(host().querySelector('[data-testid=unit-closed]')?.textContent).toContain('已撤并 · 2025年7月1日并入帆水村');
    expect(button('撤并…')).toBeUndefined();
    expect([...host().querySelectorAll('.admin-node.is-closed')].map((b) => b.textContent)).toEqual(['村 向阳村 已撤并 · 2025年7月1日并入帆水村']);
  });

  test('a big tree shows villages with their grid counts and opens a village on a tap', async () => {
    const grids = Array.from({ length: 90 }, (_, i) => unit(`g${i}`, i < 45 ? 'v1' : 'v2', 'grid', `第${i + 1}网格`));
    const api = fakeAdminApi([unit('t', null, 'town', '江口镇'), unit('v1', 't', 'village', '向阳村'), unit('v2', 't', 'village', '帆水村'), ...grids]);
    await show(api, '/admin/org');
    const nodes = () => [...host().querySelectorAll('[role=treeitem] .admin-node')].map((b) => b.textContent);
    expect(nodes()).toEqual(['乡镇 江口镇', '村 帆水村 · 45 个网格', '村 向阳村 · 45 个网格']);
    await click('▸', host().querySelector('[role=treeitem] [role=treeitem]')!);
    expect(nodes()).toHaveLength(48);
    expect(nodes()[2]).toBe('网格 第46网格');
  });

  test('a unit picked low in a long tree brings the panel into view; after 添加网格 the village stays open, the grid shows, the message is in view', async () => {
    const grids = Array.from({ length: 90 }, (_, i) => unit(`g${i}`, i < 45 ? 'v1' : 'v2', 'grid', `第${i + 1}网格`));
    const api = fakeAdminApi([unit('t', null, 'town', '江口镇'), unit('v1', 't', 'village', '向阳村'), unit('v2', 't', 'village', '帆水村'), ...grids]);
    const scrolled: Element[] = [];
    vi.spyOn(Element.prototype, 'scrollIntoView').mockImplementation(function (this: Element) {
      scrolled.push(this);
    });
    await show(api, '/admin/org');
    scrolled.length = 0;
    await click('村 向阳村 · 45 个网格');
    expect(scrolled).toContain(host().querySelector('.admin-panel'));
    expect(host().querySelector('[aria-label="展开向阳村"]')).not.toBeNull();

    scrolled.length = 0;
    await type('网格名称', '向阳村新网格');
    await click('添加网格', host().querySelector('.admin-panel form')!);
    expect(host().querySelector('[aria-label="收起向阳村"]')).not.toBeNull();
    const added = button('网格 向阳村新网格');
    expect(added).toBeDefined();
    expect(scrolled).toContain(added);
    const note = host().querySelector('[role=status]');
    expect(note?.textContent).toBe('已在“向阳村”下添加网格“向阳村新网格”');
    expect(scrolled).toContain(note);
    // The village stays chosen, ready for its next grid.
    expect(text()).toContain('在“向阳村”下添加');
  });

  test('a refused sheet lists each wrong row in Chinese', async () => {
    const api = fakeAdminApi([unit('t', null, 'town', '江口镇')]);
    const sent: unknown[] = [];
    // The preview refuses the sheet: nothing is offered for import.
    api.previewOrgImport = async (sheet) => (
      sent.push(sheet),
      {
        ok: false,
        status: 400,
        code: 'import_invalid',
        message: '导入失败：2 行有错误，未导入任何数据',
        rows: [
          { row: 3, column: '类型', message: '类型“乡村”不对，应为 县、乡镇、村、社区、网格、调委会 或 派驻调解室' },
          { row: 5, column: '上级编号', message: '找不到上级编号 x1' },
        ],
      }
    );
    await show(api, '/admin/org');
    await click('从表格导入');
    const input = host().querySelector<HTMLInputElement>('input[type=file]')!;
    const file = new File(['编号,上级编号,类型,名称,简称\n'], 'org.csv', { type: 'text/csv' });
    Object.defineProperty(input, 'files', { value: [file] });
    await act(() => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await click('开始导入');
    // The file itself goes to the server, which reads it.
    expect(sent).toEqual([{ bytes: file, type: 'text/csv' }]);
    expect(host().querySelector('[role=alert]')?.textContent).toBe('导入失败：2 行有错误，未导入任何数据');
    const rows = [...host().querySelectorAll('table[aria-label="有错误的行"] tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['第 3 行', '类型', '类型“乡村”不对，应为 县、乡镇、村、社区、网格、调委会 或 派驻调解室'],
      ['第 5 行', '上级编号', '找不到上级编号 x1'],
    ]);
  });
});

describe('账号', () => {
  const tree = () => [
    unit('t', null, 'town', '江口镇'),
    unit('v1', 't', 'village', '向阳村'),
    unit('g1', 'v1', 'grid', '第一网格'),
    unit('tjh', 't', 'committee', '江口镇人民调解委员会'),
  ];

  test('a grid worker is placed on a grid picked from the tree; the server’s message shows on refusal', async () => {
    const api = fakeAdminApi(tree());
    const scrolled: Element[] = [];
    vi.spyOn(Element.prototype, 'scrollIntoView').mockImplementation(function (this: Element) {
      scrolled.push(this);
    });
    await show(api, '/admin/accounts');
    await click('新建账号');
    const form = host().querySelector('form[aria-label="新建账号"]')!;
    await type('用户名', 'wang', form);
    await type('姓名', '王网格', form);
    await type('初始密码', 'field-pass-123', form);
    await choose('角色 1', 'grid_worker', form);
    const options = [...field<HTMLSelectElement>('网格员所在单位', form).options].filter((o) => !o.disabled).map((o) => o.value);
    expect(options.sort()).toEqual(['g1', 'v1']);
    await choose('网格员所在单位', 'g1', form);
    await click('创建账号', form);
    expect(api.createUser).toHaveBeenCalledWith({
      username: 'wang',
      displayName: '王网格',
      password: 'field-pass-123',
      roles: [{ role: 'grid_worker', orgUnitId: 'g1' }],
    });
    expect(text()).toContain('已创建账号 wang（王网格）');
    expect(scrolled).toContain(host().querySelector('[role=status]'));
    expect(text()).toContain('网格员 · 江口镇 / 向阳村 / 第一网格');

    await click('新建账号');
    const again = host().querySelector('form[aria-label="新建账号"]')!;
    await type('用户名', 'wang', again);
    await type('姓名', '王二', again);
    await type('初始密码', 'field-pass-123', again);
    await choose('角色 1', 'office', again);
    await choose('机关工作人员所在单位', 't', again);
    await click('创建账号', again);
    expect(fieldError('用户名', again)).toBe('用户名 wang 已被使用');
  });

  test('the username hint says the rule the server applies', async () => {
    await show(fakeAdminApi(tree()), '/admin/accounts');
    await click('新建账号');
    const form = host().querySelector('form[aria-label="新建账号"]')!;
    const hint = document.getElementById(field('用户名', form).getAttribute('aria-describedby')!.split(' ')[0]!);
    expect(hint?.textContent).toBe('2–32 位汉字、字母、数字、点、横线或下划线，如 wangge01。建好后不能修改。');
  });

  test('a role without its unit is caught before sending', async () => {
    const api = fakeAdminApi(tree());
    await show(api, '/admin/accounts');
    await click('新建账号');
    const form = host().querySelector('form[aria-label="新建账号"]')!;
    await type('用户名', 'zhao', form);
    await type('姓名', '赵调解', form);
    await type('初始密码', 'field-pass-123', form);
    await choose('角色 1', 'mediator', form);
    await click('创建账号', form);
    expect(fieldError('人民调解员所在单位', form)).toBe('请选择人民调解员所在的单位');
    expect(api.createUser).not.toHaveBeenCalled();
  });

  test('every problem of a new account shows at its field at once, and the first wrong field gets the cursor', async () => {
    const api = fakeAdminApi(tree());
    const scrolled: Element[] = [];
    vi.spyOn(Element.prototype, 'scrollIntoView').mockImplementation(function (this: Element) {
      scrolled.push(this);
    });
    await show(api, '/admin/accounts');
    await click('新建账号');
    const form = host().querySelector('form[aria-label="新建账号"]')!;
    await click('再加一个角色', form);
    await choose('角色 2', 'office', form);
    await click('创建账号', form);
    expect(fieldError('用户名', form)).toBe('请填写用户名');
    expect(fieldError('姓名', form)).toBe('请填写姓名');
    expect(fieldError('初始密码', form)).toMatch(/密码/);
    expect(fieldError('角色 1', form)).toBe('请选择角色');
    expect(fieldError('机关工作人员所在单位', form)).toBe('请选择机关工作人员所在的单位');
    expect(document.activeElement).toBe(field('用户名', form));
    expect(scrolled).toContain(field('用户名', form));
    expect(form.querySelector('.admin-error')).toBeNull();

    // Fixed but one, and a username the rule refuses: said without the field's key, at the field.
    await type('用户名', 'a', form);
    await type('姓名', '王网格', form);
    await type('初始密码', 'field-pass-123', form);
    await choose('角色 1', 'grid_worker', form);
    await choose('网格员所在单位', 'g1', form);
    await choose('机关工作人员所在单位', 't', form);
    await click('创建账号', form);
    expect(fieldError('用户名', form)).toBe('用户名应为 2–32 位汉字、字母、数字、点、横线或下划线');
    expect([fieldError('姓名', form), fieldError('初始密码', form), fieldError('角色 1', form)]).toEqual([undefined, undefined, undefined]);
    expect(text()).not.toContain('username');
    expect(api.createUser).not.toHaveBeenCalled();

    // The server's refusal about a role shows at that role's unit.
    api.createUser = vi.fn(async () => ({ ok: false as const, status: 400, code: 'invalid_grant', message: '江口镇已撤并，不能再分配角色', field: 'roles.1' }));
    await type('用户名', 'wang', form);
    await click('创建账号', form);
    expect(fieldError('机关工作人员所在单位', form)).toBe('江口镇已撤并，不能再分配角色');
    expect(document.activeElement).toBe(field('机关工作人员所在单位', form));
  });

  test('a weak password and a bad role row: said at the field and the row, before sending and from the server, the first with the cursor', async () => {
    const api = fakeAdminApi([...tree(), { ...unit('v9', 't', 'village', '旧村'), closedOn: '2025-01-01' }]);
    await show(api, '/admin/accounts');
    await click('新建账号');
    const form = host().querySelector('form[aria-label="新建账号"]')!;
    await type('用户名', 'wang', form);
    await type('姓名', '王网格', form);
    await type('初始密码', '12345678', form);
    await choose('角色 1', 'grid_worker', form);
    await choose('网格员所在单位', 'g1', form);
    await click('再加一个角色', form);
    await choose('角色 2', 'grid_worker', form);
    await choose('网格员所在单位', 'g1', host().querySelector('[aria-label="第 2 个角色"]')!);
    await click('创建账号', form);
    expect(fieldError('初始密码', form)).toBe('密码不能是连续的数字或字母（如 12345678），请换一个不容易被猜到的密码');
    expect(field('初始密码', form).getAttribute('aria-invalid')).toBe('true');
    expect(fieldError('网格员所在单位', host().querySelector('[aria-label="第 2 个角色"]')!)).toBe('与第 1 个角色重复');
    expect(fieldError('网格员所在单位', host().querySelector('[aria-label="第 1 个角色"]')!)).toBeUndefined();
    expect(document.activeElement).toBe(field('初始密码', form));
    // The refused text is selected: typing replaces it.
    const input = field('初始密码', form);
    expect([input.selectionStart, input.selectionEnd]).toEqual([0, 8]);
    expect(form.querySelector('.admin-error')).toBeNull();
    expect(api.createUser).not.toHaveBeenCalled();

    // The server has the last word on the password and on the unit: each lands at its field.
    await type('初始密码', 'wang-pass-2025', form);
    await click('删除角色 2', form);
    api.createUser = vi.fn(async () => ({
      ok: false as const,
      status: 400,
      code: 'weak_password',
      message: '该密码过于常见，很容易被猜到，请换一个',
      field: 'password',
    }));
    await click('创建账号', form);
    expect(fieldError('初始密码', form)).toBe('该密码过于常见，很容易被猜到，请换一个');
    expect(document.activeElement).toBe(field('初始密码', form));
    api.createUser = vi.fn(async () => ({
      ok: false as const,
      status: 400,
      code: 'invalid_grant',
      message: '网格员不能分配在乡镇上（可选：村、社区、网格）',
      field: 'roles.0',
    }));
    await click('创建账号', form);
    expect(fieldError('初始密码', form)).toBeUndefined();
    expect(fieldError('网格员所在单位', form)).toBe('网格员不能分配在乡镇上（可选：村、社区、网格）');
    expect(document.activeElement).toBe(field('网格员所在单位', form));
    expect(form.querySelector('.admin-error')).toBeNull();
  });

  test('an account’s name, roles and new password: each refusal at its field, focused, never only under the panel', async () => {
    const wang = {
      id: 'u1',
      username: 'wang',
      displayName: '王网格',
      disabled: false,
      // Granted before 旧村 was closed.
      roles: [
        { role: 'grid_worker' as const, orgUnitId: 'g1' },
        { role: 'office' as const, orgUnitId: 'v9' },
      ],
      createdAt: '',
    };
    const api = fakeAdminApi([...tree(), { ...unit('v9', 't', 'village', '旧村'), closedOn: '2025-01-01' }], [wang]);
    await show(api, '/admin/accounts');
    await click('管理 wang');
    const panel = host().querySelector<HTMLElement>('.admin-user-panel')!;
    const nameForm = panel.querySelector('form[aria-label="wang 的姓名"]')!;
    await type('姓名', ' ', nameForm);
    await click('保存姓名', panel);
    expect(fieldError('姓名', nameForm)).toBe('请填写姓名');
    expect(document.activeElement).toBe(field('姓名', nameForm));

    const rolesForm = panel.querySelector('form[aria-label="wang 的角色"]')!;
    await click('保存角色', panel);
    expect(fieldError('姓名', nameForm)).toBeUndefined();
    expect(fieldError('机关工作人员所在单位', rolesForm)).toBe('旧村已撤并，不能再分配角色');
    expect(document.activeElement).toBe(field('机关工作人员所在单位', rolesForm));
    expect(api.updateUser).not.toHaveBeenCalled();

    await choose('机关工作人员所在单位', 't', rolesForm);
    api.updateUser = vi.fn(async () => ({ ok: false as const, status: 400, code: 'invalid_grant', message: '江口镇已撤并，不能再分配角色', field: 'roles.1' }));
    await click('保存角色', panel);
    expect(fieldError('机关工作人员所在单位', rolesForm)).toBe('江口镇已撤并，不能再分配角色');
    expect(document.activeElement).toBe(field('机关工作人员所在单位', rolesForm));

    const passwordForm = panel.querySelector('form[aria-label="重置 wang 的密码"]')!;
    await type('新密码', 'wang2025', passwordForm);
    await click('重置密码', panel);
    expect(fieldError('新密码', passwordForm)).toBe('密码不能与用户名相同或只是在用户名后加数字，请换一个不容易被猜到的密码');
    expect(document.activeElement).toBe(field('新密码', passwordForm));
    expect(api.resetPassword).not.toHaveBeenCalled();
    api.resetPassword = vi.fn(async () => ({
      ok: false as const,
      status: 400,
      code: 'weak_password',
      message: '该密码过于常见，很容易被猜到，请换一个',
      field: 'password',
    }));
    await type('新密码', 'jiangkou-2025', passwordForm);
    await click('重置密码', panel);
    expect(api.resetPassword).toHaveBeenCalledWith('u1', 'jiangkou-2025');
    expect(fieldError('新密码', passwordForm)).toBe('该密码过于常见，很容易被猜到，请换一个');
    expect(document.activeElement).toBe(field('新密码', passwordForm));
    expect(panel.querySelector('.admin-user-panel > .admin-error')).toBeNull();
  });

  test('reset password, devices with 撤销', async () => {
    const api = fakeAdminApi(tree(), [
      {
        id: 'u1',
        username: 'wang',
        displayName: '王网格',
        disabled: false,
        roles: [{ role: 'grid_worker', orgUnitId: 'g1' }],
        createdAt: '2025-01-01T00:00:00Z',
      },
    ]);
    let devices = [
      {
        id: 'd1',
        userId: 'u1',
        username: 'wang',
        deviceId: 'x',
        deviceName: 'Android · Chrome',
        createdAt: '2025-03-01T00:00:00Z',
        lastUsedAt: '2025-03-02T01:00:00Z',
        expiresAt: '2025-04-01T00:00:00Z',
      },
    ];
    api.listDevices = async () => ({ ok: true, value: devices });
    api.revokeDevice = async (id) => {
      devices = devices.filter((d) => d.id !== id);
      return { ok: true, value: null };
    };
    globalThis.confirm = () => true;
    await show(api, '/admin/accounts');
    await click('管理 wang');
    expect(text()).toContain('Android · Chrome · 登录于 2025-03-01 08:00 · 最近使用 2025-03-02 09:00');
    await type('新密码', 'new-pass-456');
    await click('重置密码');
    expect(api.resetPassword).toHaveBeenCalledWith('u1', 'new-pass-456');
    expect(text()).toContain('密码已重置，2 台设备已退出登录');
    await click('撤销');
    expect(text()).toContain('没有已登录的设备。');
  });

  test('after 重置密码 and 停用账号 the device list is read again (the server logged the devices out)', async () => {
    const wang = {
      id: 'u1',
      username: 'wang',
      displayName: '王网格',
      disabled: false,
      roles: [{ role: 'grid_worker' as const, orgUnitId: 'g1' }],
      createdAt: '',
    };
    const api = fakeAdminApi(tree(), [wang]);
    const phone = {
      id: 'd1',
      userId: 'u1',
      username: 'wang',
      deviceId: 'x',
      deviceName: 'Android · Chrome',
      createdAt: '2025-03-01T00:00:00Z',
      lastUsedAt: '2025-03-02T01:00:00Z',
      expiresAt: '2025-04-01T00:00:00Z',
    };
    let devices = [phone];
    api.listDevices = async () => ({ ok: true, value: devices });
    api.resetPassword = async () => ((devices = []), { ok: true, value: { revokedTokens: 1 } });
    vi.stubGlobal('confirm', () => true);
    await show(api, '/admin/accounts');
    await click('管理 wang');
    expect(button('撤销')).toBeDefined();
    await type('新密码', 'new-pass-456');
    await click('重置密码');
    expect(text()).toContain('1 台设备已退出登录');
    expect(button('撤销')).toBeUndefined();
    expect(text()).toContain('没有已登录的设备。');

    devices = [{ ...phone, id: 'd2' }];
    api.updateUser = vi.fn(async (_id, changes) => {
      devices = [];
      return { ok: true as const, value: { ...wang, ...changes } };
    });
    await click('收起');
    await click('管理 wang');
    expect(button('撤销')).toBeDefined();
    await click('停用账号');
    expect(text()).toContain('账号已停用');
    expect(button('撤销')).toBeUndefined();
  });
});

describe('审计日志', () => {
  test('entries name the account and the unit, not their ids; the action filter goes to the server', async () => {
    const api = fakeAdminApi(
      [unit('t', null, 'town', '江口镇'), unit('v1', 't', 'village', '向阳村')],
      [{ id: 'u1', username: 'wang', displayName: '王网格', disabled: false, roles: [{ role: 'grid_worker', orgUnitId: 'v1' }], createdAt: '' }],
    );
    api.listAudit = vi.fn(async () => ({
      ok: true as const,
      value: {
        entries: [
          {
            id: 2,
            at: '2025-03-01T02:00:00Z',
            actorId: 'a',
            actorName: 'admin',
            action: 'user.password_reset',
            subjectId: 'u1',
            orgUnitId: null,
            reason: null,
            detail: { revokedTokens: 1 },
          },
          {
            id: 1,
            at: '2025-03-01T01:00:00Z',
            actorId: 'a',
            actorName: 'admin',
            action: 'org_unit.created',
            subjectId: null,
            orgUnitId: 'v1',
            reason: null,
            detail: { name: '向阳村' },
          },
        ],
        nextBefore: null,
      },
    }));
    await show(api, '/admin/audit');
    const rows = [...host().querySelectorAll('table[aria-label="审计记录"] tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['2025-03-01 10:00', 'admin', '重置密码', '账号 王网格（wang）', ''],
      ['2025-03-01 09:00', 'admin', '添加单位', '江口镇 / 向阳村', ''],
    ]);
    await choose('操作', 'device.revoked');
    await click('查询');
    expect(api.listAudit).toHaveBeenLastCalledWith({ action: 'device.revoked' });
  });
});

describe('审计日志 names', () => {
  test('a unit shows by the name it had at the time, a rename as old → new; an entry without it by today’s path', async () => {
    const api = fakeAdminApi([unit('t', null, 'town', '江口镇'), unit('v1', 't', 'village', '向阳村'), unit('g1', 'v1', 'grid', '向阳村第六网格')]);
    const entry = (id: number, action: string, detail: Record<string, unknown>) => ({
      id,
      at: '2025-03-01T01:00:00Z',
      actorId: 'a',
      actorName: 'admin',
      action,
      subjectId: null,
      orgUnitId: 'g1',
      reason: null,
      detail,
    });
    api.listAudit = vi.fn(async () => ({
      ok: true as const,
      value: {
        entries: [
          entry(4, 'org_unit.updated', { shortName: '六' }),
          entry(3, 'org_unit.updated', { name: '向阳村第六网格', unitName: '向阳村第六网格', previousName: '向阳村第二网格' }),
          entry(2, 'org_unit.updated', { name: '向阳村第二网格', unitName: '向阳村第二网格', previousName: '向阳村第一网格' }),
          entry(1, 'org_unit.created', { name: '向阳村第一网格', kind: 'grid', parentId: 'v1' }),
        ],
        nextBefore: null,
      },
    }));
    await show(api, '/admin/audit');
    const subjects = [...host().querySelectorAll('table[aria-label="审计记录"] tbody tr')].map((r) => r.querySelectorAll('td')[3]?.textContent);
    expect(subjects).toEqual([
      '江口镇 / 向阳村 / 向阳村第六网格',
      '江口镇 / 向阳村 / 向阳村第二网格 → 向阳村第六网格',
      '江口镇 / 向阳村 / 向阳村第一网格 → 向阳村第二网格（现名 向阳村第六网格）',
      '江口镇 / 向阳村 / 向阳村第一网格（现名 向阳村第六网格）',
    ]);
  });
});

describe('账号 search', () => {
  test('finds people by name, username or unit', () => {
    const units = [unit('t', null, 'town', '江口镇'), unit('g1', 't', 'grid', '第一网格'), unit('g2', 't', 'grid', '第二网格')];
    const users = [
      { id: '1', username: 'wang', displayName: '王网格', disabled: false, roles: [{ role: 'grid_worker' as const, orgUnitId: 'g1' }], createdAt: '' },
      { id: '2', username: 'liu', displayName: '刘网格', disabled: false, roles: [{ role: 'grid_worker' as const, orgUnitId: 'g2' }], createdAt: '' },
    ];
    expect(filterUsers(users, units, '第二').map((u) => u.username)).toEqual(['liu']);
    expect(filterUsers(users, units, 'WANG').map((u) => u.username)).toEqual(['wang']);
    expect(filterUsers(users, units, ' ')).toHaveLength(2);
  });
});
