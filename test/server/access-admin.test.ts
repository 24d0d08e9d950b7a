// The admin API: the org tree by hand and from a sheet, accounts and roles, the audit log
// and revealing personal data on purpose.
import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { isRevealed, REVEAL_TTL_MS } from '../../src/server/access/reveal.ts';
import type { Principal, RoleGrant } from '../../src/server/access/scope.ts';
import { ensureFirstAdmin } from '../../src/server/bootstrap.ts';
import { caseOpened } from './support/sync-fixtures.ts';
import { accountSnapshot, ADMIN_PASSWORD, login, PASSWORD, seedTownship, type Township } from './access-fixtures.ts';
import { openTestApp, type TestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';

interface Unit {
  id: string;
  parentId: string | null;
  kind: string;
  name: string;
  code: string | null;
  shortName: string | null;
}

describe.each(storeCases())('admin API on $name', (storeCase) => {
  let t: TestApp;
  let town: Township;
  let admin: string;

  test('setup', async () => {
    t = await openTestApp(storeCase);
    town = await seedTownship(t);
    admin = town.tokens.admin;
  });

  test('creating an org unit: generated id, parent kind rules, 409 on a taken id or code', async () => {
    const made = await t.json<Unit>('POST', '/api/admin/org-units', { token: admin, body: { parentId: 'V2', kind: 'grid', name: '帆水村第二网格' } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ parentId: 'V2', kind: 'grid', name: '帆水村第二网格', code: null, shortName: null });
    expect(made.body.id).toMatch(/^grid-[0-9a-f]{12}$/);

    const cases: [unknown, number, string][] = [
      [{ parentId: 'JK', kind: 'grid', name: '网格' }, 400, 'invalid_parent'],
      [{ parentId: 'G1', kind: 'village', name: '村' }, 400, 'invalid_parent'],
      [{ parentId: null, kind: 'village', name: '村' }, 400, 'invalid_parent'],
      [{ parentId: 'G1', kind: 'committee', name: '调委会' }, 400, 'invalid_parent'],
      [{ parentId: 'nope', kind: 'grid', name: '网格' }, 400, 'unknown_parent'],
      [{ parentId: 'V1', kind: 'grid', name: '' }, 400, 'invalid_body'],
      [{ parentId: 'V1', kind: 'street', name: '街' }, 400, 'invalid_body'],
      [{ id: 'bad id!', parentId: 'V1', kind: 'grid', name: '网格' }, 400, 'invalid_body'],
      [{ id: 'G1', parentId: 'V1', kind: 'grid', name: '重复' }, 409, 'duplicate'],
      [{ parentId: null, kind: 'town', name: '重复代码镇', code: '500235110' }, 409, 'duplicate'],
    ];
    for (const [body, status, code] of cases) {
      const res = await t.json<{ error: { code: string; message: string } }>('POST', '/api/admin/org-units', { token: admin, body });
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([status, code]);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    // A county can hold several towns.
    const county = await t.json<Unit>('POST', '/api/admin/org-units', { token: admin, body: { id: 'YY', parentId: null, kind: 'county', name: '云阳县' } });
    expect(county.status).toBe(201);
  });

  test('renaming and moving a unit; no cycles, kind rules still apply', async () => {
    const renamed = await t.json<Unit>('PATCH', '/api/admin/org-units/V2', { token: admin, body: { name: '帆水村（新）', shortName: '帆水' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: 'V2', name: '帆水村（新）', shortName: '帆水', parentId: 'JK' });
    expect((await t.json('PATCH', '/api/admin/org-units/G3', { token: admin, body: { parentId: 'V1' } })).status).toBe(200);
    expect((await t.json('GET', '/api/me', { token: town.tokens.mediator })).body).toMatchObject({
      orgUnits: expect.arrayContaining([expect.objectContaining({ id: 'G3' })]),
    });
    expect((await t.json('PATCH', '/api/admin/org-units/G3', { token: admin, body: { parentId: 'V2' } })).status).toBe(200);
    expect((await t.json('PATCH', '/api/admin/org-units/JK', { token: admin, body: { parentId: 'YY' } })).status).toBe(200);
    const cycle = await t.json<{ error: { code: string } }>('PATCH', '/api/admin/org-units/YY', { token: admin, body: { parentId: 'JK' } });
    expect([cycle.status, cycle.body.error.code]).toEqual([400, 'invalid_parent']);
    const wrongKind = await t.json<{ error: { code: string } }>('PATCH', '/api/admin/org-units/G1', { token: admin, body: { parentId: 'JK' } });
    expect([wrongKind.status, wrongKind.body.error.code]).toEqual([400, 'invalid_parent']);
    expect((await t.json('PATCH', '/api/admin/org-units/none', { token: admin, body: { name: 'x' } })).status).toBe(404);
    expect((await t.json('PATCH', '/api/admin/org-units/V1', { token: admin, body: { code: '500235110' } })).status).toBe(409);
  });

  test('office reads the org tree of its own subtree only; grid workers cannot', async () => {
    const office = await t.json<{ orgUnits: Unit[] }>('GET', '/api/admin/org-units', { token: town.tokens.office });
    expect(office.status).toBe(200);
    const ids = office.body.orgUnits.map((u) => u.id);
    expect(ids).toContain('G3');
    expect(ids).not.toContain('OT');
    expect(ids).not.toContain('YY');
    const all = await t.json<{ orgUnits: Unit[] }>('GET', '/api/admin/org-units', { token: admin });
    expect(all.body.orgUnits.map((u) => u.id)).toEqual(expect.arrayContaining(['OT', 'YY', 'JK']));
    expect((await t.json('GET', '/api/admin/org-units', { token: town.tokens.gw1 })).status).toBe(403);
  });

  test('importing a sheet: parents may come later, Chinese labels, BOM; then it is all in the tree', async () => {
    const csv =
      '\uFEFF编号,上级编号,类型,名称,简称\r\nNV-01,NT,村,新村,新\r\nNT,YY,镇,新镇,新镇\r\n"NV-01-g1",NV-01,网格,"新村第一网格, 东片",\r\nNT-twh,NT,调委会,新镇调委会,新镇\r\n';
    const res = await t.json<{ imported: number }>('POST', '/api/admin/org-units/import', { token: admin, body: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.imported).toBe(4);
    const all = await t.json<{ orgUnits: Unit[] }>('GET', '/api/admin/org-units', { token: admin });
    expect(all.body.orgUnits.find((u) => u.id === 'NV-01-g1')).toMatchObject({ parentId: 'NV-01', kind: 'grid', name: '新村第一网格, 东片', code: 'NV-01-g1' });
    // Same through JSON {csv}, as the browser sends a file it read.
    const json = await t.json('POST', '/api/admin/org-units/import', { token: admin, body: { csv: '编号,上级编号,类型,名称,简称\nNV-02,NT,社区,新社区,' } });
    expect(json.status).toBe(201);
  });

  test('a sheet with errors: every bad row reported in Chinese, nothing imported', async () => {
    const before = await accountSnapshot(t);
    const csv = [
      '编号,上级编号,类型,名称,简称',
      'OK-1,JK,村,好村,',
      'G1,V1,村,编号已是网格,',
      'X-2,JK,网格,网格挂在镇下,',
      'X-3,NOPE,村,没有上级,',
      'X-4,JK,街道办事处,类型不对,',
      'X-5,JK,村,,',
      'OK-1,JK,村,表内重复,',
      'bad id,JK,村,编号不对,',
      '500235110,JK,村,编号是江口镇的代码,',
    ].join('\n');
    const res = await t.json<{ error: { code: string; message: string; rows: { row: number; column?: string; message: string }[] } }>(
      'POST',
      '/api/admin/org-units/import',
      {
        token: admin,
        body: csv,
        headers: { 'content-type': 'text/csv; charset=utf-8' },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('import_invalid');
    expect(res.body.error.message).toBe('导入失败：8 行有错误，未导入任何数据');
    expect(res.body.error.rows.map((r) => [r.row, r.column])).toEqual([
      [3, '类型'],
      [4, '类型'],
      [5, '上级编号'],
      [6, '类型'],
      [7, '名称'],
      [8, '编号'],
      [9, '编号'],
      [10, '编号'],
    ]);
    // An existing 编号 is an update of that unit, never a second one; its kind does not change.
    expect(res.body.error.rows[0]!.message).toMatch(/^编号 G1 已是网格“.+”，不能改为村$/);
    expect(res.body.error.rows[1]!.message).toBe('网格应建在村或社区下');
    expect(await accountSnapshot(t)).toBe(before);
    const header = await t.json<{ error: { rows: { message: string }[] } }>('POST', '/api/admin/org-units/import', {
      token: admin,
      body: 'id,parent\n1,2',
      headers: { 'content-type': 'text/csv' },
    });
    expect(header.body.error.rows[0]!.message).toContain('第一行应为表头');
  });

  test('the template is a CSV with a BOM and the expected header, and imports as is into an empty tree', async () => {
    const res = await t.request('GET', '/api/admin/org-units/template.csv', { token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.split('\r\n')[0]).toBe('\uFEFF编号,上级编号,类型,名称,简称');
    const fresh = await openTestApp(storeCase);
    try {
      await ensureFirstAdmin(fresh.store, { adminPassword: ADMIN_PASSWORD, log: () => {} });
      const token = await login(fresh, 'admin', ADMIN_PASSWORD);
      const imported = await fresh.json('POST', '/api/admin/org-units/import', { token, body: text, headers: { 'content-type': 'text/csv' } });
      expect(imported.status, JSON.stringify(imported.body)).toBe(201);
      // The same sheet again: every row is already there, so nothing is created (no second town).
      const preview = await fresh.json<{ creates: unknown[]; updates: unknown[]; unchanged: number }>('POST', '/api/admin/org-units/import/preview', {
        token,
        body: text,
        headers: { 'content-type': 'text/csv' },
      });
      expect(preview.body).toEqual({ creates: [], updates: [], unchanged: 6 });
      const again = await fresh.json<{ imported: number }>('POST', '/api/admin/org-units/import', {
        token,
        body: text,
        headers: { 'content-type': 'text/csv' },
      });
      expect(again.status).toBe(201);
      expect(again.body.imported).toBe(0);
      expect((await fresh.store.listOrgUnits()).filter((u) => u.kind === 'town')).toHaveLength(1);
    } finally {
      await fresh.dispose();
    }
  });

  test('Excel on Chinese Windows: a GB18030 CSV imports; an .xlsx template downloads and imports; junk is a 400', async () => {
    // "编号,上级编号,类型,名称,简称\r\nGB-1,V2,网格,帆水村第三网格," in GB18030.
    const gb18030 = Buffer.from('b1e0bac52cc9cfbcb6b1e0bac52cc0e0d0cd2cc3fbb3c62cbcf2b3c60d0a47422d312c56322ccdf8b8f12cb7abcbaeb4e5b5dac8fdcdf8b8f12c', 'hex');
    const res = await t.json<{ imported: number; orgUnits: Unit[] }>('POST', '/api/admin/org-units/import', {
      token: admin,
      body: new Uint8Array(gb18030),
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.orgUnits[0]).toMatchObject({ id: 'GB-1', name: '帆水村第三网格', kind: 'grid' });

    const template = await t.request('GET', '/api/admin/org-units/template.xlsx', { token: admin });
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const xlsx = new Uint8Array(await template.arrayBuffer());
    expect([...xlsx.slice(0, 2)]).toEqual([0x50, 0x4b]); // a zip
    const fresh = await openTestApp(storeCase);
    try {
      await ensureFirstAdmin(fresh.store, { adminPassword: ADMIN_PASSWORD, log: () => {} });
      const token = await login(fresh, 'admin', ADMIN_PASSWORD);
      const imported = await fresh.json<{ orgUnits: Unit[] }>('POST', '/api/admin/org-units/import', {
        token,
        body: xlsx,
        headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      });
      expect(imported.status, JSON.stringify(imported.body)).toBe(201);
      expect(imported.body.orgUnits.map((u) => u.id)).toContain('500235110201-01');
    } finally {
      await fresh.dispose();
    }
    const junk = await t.json<{ error: { code: string } }>('POST', '/api/admin/org-units/import', {
      token: admin,
      body: new Uint8Array([1, 2, 3]),
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expect([junk.status, junk.body.error.code]).toEqual([400, 'invalid_xlsx']);
  });

  test('an .xlsx as Excel saves it: numbers typed as numbers, rich text, a blank row, only the first sheet read', async () => {
    // Read on the server only: the admin screen sends the file's bytes as they are.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('组织架构');
    ws.addRow(['编号', '上级编号', '类型', '名称', '简称']);
    ws.addRow([500235110, null, '镇', '江口镇', '江口']);
    ws.addRow([]);
    ws.addRow(['500235110201', 500235110, '村', '向阳村, 含"老街"', '向阳']);
    ws.getCell('A5').value = '500235110201-01';
    ws.getCell('B5').value = '500235110201';
    ws.getCell('C5').value = '网格';
    ws.getCell('D5').value = { richText: [{ text: '第一' }, { font: { bold: true }, text: '网格' }] };
    wb.addWorksheet('说明').addRow(['X-1', '', '乡镇', '这张表不导入', '']);
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const fresh = await openTestApp(storeCase);
    try {
      await ensureFirstAdmin(fresh.store, { adminPassword: ADMIN_PASSWORD, log: () => {} });
      const token = await login(fresh, 'admin', ADMIN_PASSWORD);
      const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      const res = await fresh.json<{ imported: number; orgUnits: Unit[] }>('POST', '/api/admin/org-units/import', {
        token,
        body: bytes,
        headers: { 'content-type': xlsx },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.orgUnits.map((u) => [u.id, u.parentId, u.kind, u.name, u.shortName])).toEqual([
        ['500235110', null, 'town', '江口镇', '江口'],
        ['500235110201', '500235110', 'village', '向阳村, 含"老街"', '向阳'],
        ['500235110201-01', '500235110201', 'grid', '第一网格', null],
      ]);
      const broken = await fresh.json<{ error: { code: string; message: string } }>('POST', '/api/admin/org-units/import', {
        token,
        body: new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]),
        headers: { 'content-type': xlsx },
      });
      expect([broken.status, broken.body.error.code]).toEqual([400, 'invalid_xlsx']);
      expect(broken.body.error.message).toContain('无法读取');
    } finally {
      await fresh.dispose();
    }
  });

  test('users: created with grants on fitting units, 409 on a taken username, validation in Chinese', async () => {
    const made = await t.json<{ id: string; roles: unknown[]; disabled: boolean }>('POST', '/api/admin/users', {
      token: admin,
      body: {
        username: '张网格',
        password: PASSWORD,
        displayName: '张三',
        roles: [
          { role: 'grid_worker', orgUnitId: 'G2' },
          { role: 'mediator', orgUnitId: 'C1' },
        ],
      },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      disabled: false,
      roles: [
        { role: 'grid_worker', orgUnitId: 'G2' },
        { role: 'mediator', orgUnitId: 'C1' },
      ],
    });
    expect((await t.json('POST', '/api/auth/login', { body: { username: '张网格', password: PASSWORD } })).status).toBe(200);

    const bad: [unknown, number, string][] = [
      [{ username: '张网格', password: PASSWORD, displayName: 'x', roles: [{ role: 'office', orgUnitId: 'JK' }] }, 409, 'duplicate'],
      [{ username: 'shorty', password: 'short', displayName: 'x', roles: [{ role: 'office', orgUnitId: 'JK' }] }, 400, 'invalid_body'],
      [{ username: 'x', password: PASSWORD, displayName: 'x', roles: [{ role: 'office', orgUnitId: 'JK' }] }, 400, 'invalid_body'],
      [{ username: 'nobody1', password: PASSWORD, displayName: 'x', roles: [] }, 400, 'invalid_body'],
      [{ username: 'nobody2', password: PASSWORD, displayName: 'x', roles: [{ role: 'grid_worker', orgUnitId: 'JK' }] }, 400, 'invalid_grant'],
      [{ username: 'nobody3', password: PASSWORD, displayName: 'x', roles: [{ role: 'office', orgUnitId: 'G1' }] }, 400, 'invalid_grant'],
      [{ username: 'nobody4', password: PASSWORD, displayName: 'x', roles: [{ role: 'mediator', orgUnitId: 'missing' }] }, 400, 'unknown_org_unit'],
      [{ username: 'nobody5', password: PASSWORD, displayName: 'x', roles: [{ role: 'king', orgUnitId: 'JK' }] }, 400, 'invalid_body'],
      [{ username: 'nobody6', password: PASSWORD, displayName: 'x', roles: [{ role: 'admin', orgUnitId: 'missing' }] }, 400, 'unknown_org_unit'],
    ];
    for (const [body, status, code] of bad) {
      const res = await t.json<{ error: { code: string; message: string } }>('POST', '/api/admin/users', { token: admin, body });
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([status, code]);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    // An admin grant may name a unit (the contract's {role, orgUnitId} shape); it covers the whole tree.
    const townAdmin = await t.json('POST', '/api/admin/users', {
      token: admin,
      body: { username: 'admin2', password: PASSWORD, displayName: '镇管理员', roles: [{ role: 'admin', orgUnitId: 'JK' }] },
    });
    expect(townAdmin.status).toBe(201);
    expect(townAdmin.body).toMatchObject({ roles: [{ role: 'admin', orgUnitId: '*' }] });
    const list = await t.json<{ users: { username: string; passwordHash?: string }[] }>('GET', '/api/admin/users', { token: admin });
    expect(list.body.users.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'gw1', '张网格']));
    expect(JSON.stringify(list.body)).not.toContain('scrypt');
  });

  test('changing roles changes what the user reads at once; an admin cannot lock themselves out', async () => {
    const moved = await t.json('PATCH', `/api/admin/users/${town.userIds.gw1}`, {
      token: admin,
      body: { roles: [{ role: 'grid_worker', orgUnitId: 'G2' }], displayName: '网格员一' },
    });
    expect(moved.status).toBe(200);
    const me = await t.json<{ user: { displayName: string }; orgUnits: { id: string; writable: boolean }[] }>('GET', '/api/me', { token: town.tokens.gw1 });
    expect(me.body.user.displayName).toBe('网格员一');
    expect(me.body.orgUnits.filter((u) => u.writable).map((u) => u.id)).toEqual(['G2']);
    const self = await t.json<{ error: { code: string } }>('PATCH', `/api/admin/users/${town.userIds.admin}`, { token: admin, body: { disabled: true } });
    expect([self.status, self.body.error.code]).toEqual([409, 'self_lockout']);
    const demote = await t.json<{ error: { code: string } }>('PATCH', `/api/admin/users/${town.userIds.admin}`, {
      token: admin,
      body: { roles: [{ role: 'office', orgUnitId: 'JK' }] },
    });
    expect(demote.status).toBe(409);
    expect((await t.json('PATCH', '/api/admin/users/no-such-user', { token: admin, body: { displayName: 'x' } })).status).toBe(404);
  });

  test('revealing personal data on purpose is audited, and only inside the caller’s read scope', async () => {
    const opened = caseOpened('G1', '2024-07-02T10:00:00+08:00', { parties: [{ role: 'applicant', name: '张三丰', phone: '13812345678' }] });
    const inOther = caseOpened('OG', '2024-07-02T10:00:00+08:00');
    const pushed = async (token: string | undefined, e: typeof opened) =>
      (await t.json<{ results: { status: string }[] }>('POST', '/api/sync/push', { token, body: { deviceId: 'reveal-test', events: [e] } })).body.results[0]!
        .status;
    expect(await pushed(admin, opened)).toBe('applied');
    expect(await pushed(admin, inOther)).toBe('applied');
    const subjectId = opened.subjectId;
    const officeUser = (
      await t.json<{ user: { id: string; username: string; displayName: string; roles: RoleGrant[] } }>('GET', '/api/me', { token: town.tokens.office })
    ).body.user;
    const principal: Principal = {
      userId: officeUser.id,
      username: officeUser.username,
      displayName: officeUser.displayName,
      roles: officeUser.roles,
      tokenId: 't',
    };
    expect(await isRevealed(t.store, principal, subjectId, new Date())).toBe(false);
    const ok = await t.json<{ until: string }>('POST', '/api/audit/reveal', {
      token: town.tokens.office,
      body: { subjectId, party: 0, reason: 'verify', note: '核实当事人联系方式' },
    });
    expect(ok.status).toBe(201);
    expect(Date.parse(ok.body.until)).toBeGreaterThan(Date.now());
    expect(await isRevealed(t.store, principal, subjectId, new Date())).toBe(true);
    expect(await isRevealed(t.store, { ...principal, userId: town.userIds.admin }, subjectId, new Date())).toBe(false);
    expect(await isRevealed(t.store, principal, 'another-subject', new Date())).toBe(false);
    expect(await isRevealed(t.store, principal, subjectId, new Date(Date.now() + REVEAL_TTL_MS + 60_000))).toBe(false);
    // A record of another town answers as if it did not exist.
    const out = await t.json<{ error: { code: string } }>('POST', '/api/audit/reveal', {
      token: town.tokens.office,
      body: { subjectId: inOther.subjectId, party: 0, reason: 'verify' },
    });
    expect([out.status, out.body.error.code]).toEqual([404, 'not_found']);
    const noReason = await t.json('POST', '/api/audit/reveal', { token: town.tokens.office, body: { subjectId, party: 0, reason: ' ' } });
    expect(noReason.status).toBe(400);
    const log = await t.json<{ entries: { action: string; actorName: string; subjectId: string; orgUnitId: string; reason: string }[] }>(
      'GET',
      '/api/admin/audit?action=personal_data.revealed',
      {
        token: admin,
      },
    );
    expect(log.body.entries).toEqual([
      expect.objectContaining({
        action: 'personal_data.revealed',
        actorName: 'office',
        subjectId,
        orgUnitId: 'G1',
        reason: '核实当事人身份：核实当事人联系方式',
      }),
    ]);
  });

  test('the audit log records admin actions, pages newest first, and exports as CSV with a BOM', async () => {
    const page1 = await t.json<{ entries: { id: number; action: string }[]; nextBefore: number }>('GET', '/api/admin/audit?limit=5', { token: admin });
    expect(page1.status).toBe(200);
    expect(page1.body.entries).toHaveLength(5);
    const page2 = await t.json<{ entries: { id: number; action: string }[] }>('GET', `/api/admin/audit?limit=5&before=${page1.body.nextBefore}`, {
      token: admin,
    });
    expect(page2.body.entries[0]!.id).toBeLessThan(page1.body.entries[4]!.id);
    const all = await t.json<{ entries: { action: string }[] }>('GET', '/api/admin/audit?limit=1000', { token: admin });
    const actions = new Set(all.body.entries.map((e) => e.action));
    for (const a of ['login', 'org_unit.created', 'org_unit.updated', 'org_unit.imported', 'user.created', 'user.updated', 'personal_data.revealed'])
      expect(actions).toContain(a);
    expect((await t.json('GET', '/api/admin/audit?limit=abc', { token: admin })).status).toBe(400);
    expect((await t.json('GET', '/api/admin/audit?from=2024-13-01', { token: admin })).status).toBe(400);
    expect((await t.json('GET', '/api/admin/audit?from=2000-01-01&to=2000-01-02', { token: admin })).body).toEqual({ entries: [], nextBefore: null });

    const csv = await t.request('GET', '/api/admin/audit.csv', { token: admin });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(await csv.arrayBuffer()));
    expect(text.startsWith('\uFEFF序号,时间,操作人,操作人编号,操作,记录,组织,原因,详情\r\n')).toBe(true);
    expect(text).toContain('核实当事人联系方式');
    // 时间 in the deployment's zone (Asia/Shanghai), as a person reads it, not a UTC instant.
    const firstTime = text.split('\r\n')[1]!.split(',')[1]!;
    expect(firstTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const newest = all.body.entries[0] as unknown as { at: string };
    expect(firstTime).toBe(new Date(Date.parse(newest.at) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '));
    expect((await t.json('GET', '/api/admin/audit', { token: town.tokens.office })).status).toBe(403);
  });

  test('teardown', async () => {
    await t.dispose();
  });
});
