// Three real API processes (src/server/main.ts, as deployed) on one fresh PostgreSQL database,
// under a concurrent push / replay / pull workload from several phones. Checks what a county
// deployment must keep with any number of processes: every acknowledged event stored exactly
// once, seq gap-free and visible in commit order (a cursor-following reader misses nothing),
// case numbers gap-free per committee and year, every case's projection row the fold of its
// events although two devices of one worker corrected the same cases at once through different
// processes (pushes run side by side: storage/postgres/events.ts), an org unit made on one
// process usable on the others at once, and login limits counted across processes. PostgreSQL only.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROJECTION_TABLES, projectionOf } from '../../src/server/services/projection.ts';
import type { DomainEvent } from '#shared/events';
import { spawnServer } from './support/server-process.ts';

const baseUrl = process.env.DATABASE_URL || undefined;
if (!baseUrl) console.log('multi-process suite skipped: it needs PostgreSQL (set DATABASE_URL)');

const ADMIN_PASSWORD = 'admin-pass-123';
const PASSWORD = 'phone-pass-123';
const PROCESSES = 3;
const PHONES = 6;
const BATCHES = 12;
const BATCH_SIZE = 40;
/** Rounds in which both devices of every worker correct the worker's cases at once. */
const CORRECTIONS = 3;

interface Proc {
  url: string;
  child: ChildProcess;
  output: () => string;
}

interface PulledEvent {
  id: string;
  seq: number;
  type: string;
  subjectId: string;
  orgUnitId: string;
  data: Record<string, unknown>;
}

async function startProcess(databaseUrl: string, dataDir: string): Promise<Proc> {
  const { child, port, output } = spawnServer({
    DATA_DIR: dataDir,
    DIST_DIR: path.join(dataDir, 'no-dist'),
    DATABASE_URL: databaseUrl,
    TAIZHANG_TRUST_PROXY: '1',
    TAIZHANG_LOG: 'off',
  });
  return { url: `http://127.0.0.1:${await port}`, child, output };
}

async function waitReady(p: Proc): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null) throw new Error(`server exited: ${p.output()}`);
    try {
      if ((await fetch(`${p.url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready: ${p.output()}`);
}

async function call<T>(
  p: Proc,
  method: string,
  url: string,
  { token, body, ip }: { token?: string; body?: unknown; ip?: string } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (ip) headers['x-forwarded-for'] = ip;
  const res = await fetch(`${p.url}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

describe.skipIf(!baseUrl)('three API processes on one PostgreSQL database', () => {
  const dbName = `taizhang_mp_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'taizhang-mp-'));
  const procs: Proc[] = [];
  let databaseUrl = '';

  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${dbName}`);
    const u = new URL(baseUrl!);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
    // Started together: they race for the migrations (one takes them, the others wait) and the first admin.
    for (let i = 0; i < PROCESSES; i++) procs.push(await startProcess(databaseUrl, dataDir));
    await Promise.all(procs.map(waitReady));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(
      procs.map(async (p) => {
        if (p.child.exitCode !== null || p.child.signalCode !== null) return;
        const exited = new Promise((r) => p.child.once('exit', r));
        p.child.kill('SIGTERM');
        await exited;
      }),
    );
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  test('push, replay and pull from several phones through every process keep the log exact', async () => {
    const [p0, p1, p2] = procs as [Proc, Proc, Proc];
    const login = async (p: Proc, username: string, password: string, deviceId?: string) => {
      const res = await call<{ token: string }>(p, 'POST', '/api/auth/login', { body: { username, password, ...(deviceId ? { deviceId } : {}) } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.token;
    };
    const adminToken = await login(p0, 'admin', ADMIN_PASSWORD);

    // A town with a committee, three villages each with a committee and two grids; one grid worker per grid.
    const units: { id: string; parentId: string | null; kind: string; name: string; shortName?: string }[] = [
      { id: 'T', parentId: null, kind: 'town', name: '江口镇', shortName: '江口' },
      { id: 'TC', parentId: 'T', kind: 'committee', name: '江口镇人民调解委员会', shortName: '江口' },
    ];
    const grids: string[] = [];
    for (let v = 1; v <= 3; v++) {
      units.push({ id: `V${v}`, parentId: 'T', kind: 'village', name: `第${v}村`, shortName: `村${v}` });
      units.push({ id: `V${v}C`, parentId: `V${v}`, kind: 'committee', name: `第${v}村人民调解委员会`, shortName: `村${v}` });
      for (let g = 1; g <= 2; g++) {
        units.push({ id: `V${v}G${g}`, parentId: `V${v}`, kind: 'grid', name: `第${v}村第${g}网格` });
        grids.push(`V${v}G${g}`);
      }
    }
    for (const [i, unit] of units.entries())
      expect((await call(procs[i % PROCESSES]!, 'POST', '/api/admin/org-units', { token: adminToken, body: unit })).status).toBe(201);
    const phones: { grid: string; deviceId: string; token: string; seq: number; tablet: string }[] = [];
    for (let i = 0; i < PHONES; i++) {
      const grid = grids[i % grids.length]!;
      const made = await call(procs[i % PROCESSES]!, 'POST', '/api/admin/users', {
        token: adminToken,
        body: { username: `gw${i}`, password: PASSWORD, displayName: `网格员${i}`, roles: [{ role: 'grid_worker', orgUnitId: grid }] },
      });
      expect(made.status).toBe(201);
      const deviceId = `phone-${i}`;
      phones.push({
        grid,
        deviceId,
        token: await login(procs[(i + 1) % PROCESSES]!, `gw${i}`, PASSWORD, deviceId),
        seq: 0,
        // The same worker's second device.
        tablet: await login(procs[(i + 2) % PROCESSES]!, `gw${i}`, PASSWORD, `tablet-${i}`),
      });
    }

    const madeEvents: { id: string; type: string; subjectId: string; deviceId: string }[] = [];
    const makeEvent = (phone: (typeof phones)[number], n: number) => {
      const event = eventFor(phone, n);
      madeEvents.push(event);
      return event;
    };
    const eventFor = (phone: (typeof phones)[number], n: number) => {
      const year = n % 2 === 0 ? 2024 : 2025;
      const occurredAt = `${year}-0${1 + (n % 9)}-1${n % 10}T09:00:00+08:00`;
      const base = {
        id: randomUUID(),
        subjectId: randomUUID(),
        orgUnitId: phone.grid,
        occurredAt,
        recordedAt: new Date().toISOString(),
        deviceId: phone.deviceId,
        deviceSeq: ++phone.seq,
      };
      if (n % 3 === 0) {
        return {
          ...base,
          type: 'case.opened',
          data: { disputeType: '02', source: 'application', summary: '邻里纠纷', parties: [{ role: 'applicant', name: '张某' }] },
        };
      }
      return { ...base, type: 'sweep.recorded', data: { households: 10 + (n % 30), disputesFound: 0 } };
    };

    // Every event a process acknowledged (applied or duplicate), and how often each was applied.
    const acked = new Set<string>();
    const applied = new Map<string, number>();
    let pushes = 0;
    const record = (results: { id: string; status: string }[]) => {
      for (const r of results) {
        expect(['applied', 'duplicate']).toContain(r.status);
        acked.add(r.id);
        if (r.status === 'applied') applied.set(r.id, (applied.get(r.id) ?? 0) + 1);
      }
    };
    const pushTo = async (p: Proc, phone: (typeof phones)[number], events: unknown[], device: 'phone' | 'tablet' = 'phone') => {
      const res = await call<{ results: { id: string; status: string }[] }>(p, 'POST', '/api/sync/push', {
        token: device === 'phone' ? phone.token : phone.tablet,
        body: { deviceId: device === 'phone' ? phone.deviceId : `tablet-${phones.indexOf(phone)}`, events },
      });
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
      pushes++;
      record(res.body.results);
    };

    const phoneWork = async (i: number) => {
      const phone = phones[i]!;
      for (let b = 0; b < BATCHES; b++) {
        const batch = Array.from({ length: BATCH_SIZE }, (_, k) => makeEvent(phone, b * BATCH_SIZE + k));
        const p = procs[(i + b) % PROCESSES]!;
        if (b % 4 === 1) {
          // A retry after a timeout: the same batch reaches two processes at once.
          await Promise.all([pushTo(p, phone, batch), pushTo(procs[(i + b + 1) % PROCESSES]!, phone, batch)]);
        } else {
          await pushTo(p, phone, batch);
          // A replay of half the batch later (the phone never saw the answer), through another process.
          if (b % 3 === 2) await pushTo(procs[(i + b + 2) % PROCESSES]!, phone, batch.slice(0, BATCH_SIZE / 2));
        }
      }
    };

    // A reader following the cursor while the phones push, through every process in turn.
    let writing = true;
    const seen: PulledEvent[] = [];
    const reader = async () => {
      let cursor = 0;
      let turn = 0;
      for (;;) {
        const done = !writing;
        const res = await call<{ events: PulledEvent[]; cursor: number; hasMore: boolean }>(
          procs[turn++ % PROCESSES]!,
          'GET',
          `/api/sync/pull?cursor=${cursor}&limit=1000`,
          { token: adminToken },
        );
        expect(res.status).toBe(200);
        for (const e of res.body.events) {
          expect(e.seq).toBeGreaterThan(seen.at(-1)?.seq ?? 0);
          seen.push(e);
        }
        cursor = res.body.cursor;
        if (done && !res.body.hasMore) return;
        if (!res.body.hasMore) await new Promise((r) => setTimeout(r, 20));
      }
    };
    // Corrections of every case a worker opened, sent by the phone and the tablet at once through
    // two processes: each push reads cases the other is changing.
    const cases = new Map<string, { id: string; subjectId: string }[]>();
    const corrections: { subjectId: string; occurredAt: string; peopleInvolved: number }[] = [];
    const correct = (phone: (typeof phones)[number], round: number, device: 'phone' | 'tablet') =>
      (cases.get(phone.deviceId) ?? []).map((c, k) => {
        // Distinct instants: the fold takes the latest correction of each field.
        const occurredAt = `2025-11-${String(10 + round).padStart(2, '0')}T${device === 'phone' ? '09' : '15'}:${String(k % 60).padStart(2, '0')}:00+08:00`;
        const peopleInvolved = 1 + round * 2 + (device === 'phone' ? 0 : 1);
        corrections.push({ subjectId: c.subjectId, occurredAt, peopleInvolved });
        return {
          id: randomUUID(),
          type: 'case.updated',
          subjectId: c.subjectId,
          orgUnitId: phone.grid,
          occurredAt,
          recordedAt: new Date().toISOString(),
          deviceId: device === 'phone' ? phone.deviceId : `tablet-${phones.indexOf(phone)}`,
          deviceSeq: ++phone.seq,
          data: { changes: { peopleInvolved }, note: '更正人数' },
        };
      });
    const correctionWork = async (i: number) => {
      const phone = phones[i]!;
      for (let round = 0; round < CORRECTIONS; round++) {
        await Promise.all([
          pushTo(procs[(i + round) % PROCESSES]!, phone, correct(phone, round, 'phone')),
          pushTo(procs[(i + round + 1) % PROCESSES]!, phone, correct(phone, round, 'tablet'), 'tablet'),
        ]);
      }
    };

    const reading = reader();
    await Promise.all(phones.map((_, i) => phoneWork(i)));
    for (const e of madeEvents) if (e.type === 'case.opened') cases.set(e.deviceId, [...(cases.get(e.deviceId) ?? []), e]);
    await Promise.all(phones.map((_, i) => correctionWork(i)));
    writing = false;
    await reading;

    // Every acknowledged event applied exactly once, and stored exactly once.
    const phoneEvents = seen.filter((e) => e.type !== 'case.numbered');
    expect(acked.size).toBe(PHONES * BATCHES * BATCH_SIZE + corrections.length);
    expect([...acked].filter((id) => applied.get(id) !== 1)).toEqual([]);
    expect(phoneEvents).toHaveLength(acked.size);
    expect(new Set(phoneEvents.map((e) => e.id))).toEqual(acked);
    // seq gap-free from 1; the reader that followed the cursor during the pushes saw all of them.
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i + 1));
    const final = await call<{ events: PulledEvent[]; hasMore: boolean }>(p2, 'GET', `/api/sync/pull?cursor=${seen.at(-1)!.seq}`, { token: adminToken });
    expect(final.body.events).toEqual([]);

    // Case numbers: one per opened case, gap-free per committee and year.
    const opened = phoneEvents.filter((e) => e.type === 'case.opened');
    const numbered = seen.filter((e) => e.type === 'case.numbered');
    expect(new Set(numbered.map((e) => e.subjectId))).toEqual(new Set(opened.map((e) => e.subjectId)));
    expect(numbered).toHaveLength(opened.length);
    const byBody = new Map<string, number[]>();
    for (const e of numbered) {
      const key = `${String(e.data.committeeId)}/${String(e.data.year)}`;
      byBody.set(key, [...(byBody.get(key) ?? []), Number(e.data.sequence)]);
    }
    expect(byBody.size).toBe(6); // three village committees × two years
    for (const [key, sequences] of byBody) expect([key, [...sequences].sort((a, b) => a - b)]).toEqual([key, sequences.map((_, i) => i + 1)]);

    // Every case's projection row is the fold of its events as pulled: no push overwrote the row with a
    // fold that missed a concurrent correction. The latest correction of each case is the one it shows.
    const bySubject = new Map<string, DomainEvent[]>();
    for (const e of seen) bySubject.set(e.subjectId, [...(bySubject.get(e.subjectId) ?? []), e as unknown as DomainEvent]);
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const stored = await db.query<Record<string, unknown>>('SELECT * FROM case_projection').finally(() => db.end());
    const caseTable = PROJECTION_TABLES.find((t) => t.name === 'case_projection')!;
    // `state` holds the parties, which the admin's pull masks.
    const columns = caseTable.columns.filter((c) => c !== 'state');
    const normalized = (row: Record<string, unknown>) =>
      Object.fromEntries(columns.map((c) => [c, typeof row[c] === 'string' && caseTable.integers.includes(c) ? Number(row[c]) : row[c]]));
    expect(stored.rows).toHaveLength(opened.length);
    const expected = stored.rows.map((r) => normalized(projectionOf(bySubject.get(String(r.subject_id))!, 'Asia/Shanghai')!.row));
    expect(stored.rows.map(normalized)).toEqual(expected);
    const latest = new Map<string, { occurredAt: string; peopleInvolved: number }>();
    for (const c of corrections) if ((latest.get(c.subjectId)?.occurredAt ?? '') < c.occurredAt) latest.set(c.subjectId, c);
    expect(latest.size).toBe(opened.length);
    for (const r of stored.rows) expect([r.subject_id, Number(r.people_involved)]).toEqual([r.subject_id, latest.get(String(r.subject_id))!.peopleInvolved]);

    // An org unit made through one process is usable through the others at once.
    const villageUser = await call<{ id: string }>(p0, 'POST', '/api/admin/users', {
      token: adminToken,
      body: { username: 'v1worker', password: PASSWORD, displayName: '村网格员', roles: [{ role: 'grid_worker', orgUnitId: 'V1' }] },
    });
    expect(villageUser.status).toBe(201);
    const vToken = await login(p1, 'v1worker', PASSWORD, 'v1-phone');
    for (const p of [p1, p2]) expect((await call(p, 'GET', '/api/me', { token: vToken })).status).toBe(200); // trees cached on both
    expect(
      (await call(p0, 'POST', '/api/admin/org-units', { token: adminToken, body: { id: 'V1G9', parentId: 'V1', kind: 'grid', name: '第1村新网格' } })).status,
    ).toBe(201);
    for (const p of [p1, p2]) {
      const event = { ...eventFor({ grid: 'V1G9', deviceId: 'v1-phone', token: vToken, seq: p === p1 ? 1 : 2, tablet: '' }, 1) };
      const res = await call<{ results: { status: string }[] }>(p, 'POST', '/api/sync/push', {
        token: vToken,
        body: { deviceId: 'v1-phone', events: [event] },
      });
      expect(res.body.results).toEqual([{ id: event.id, status: 'applied' }]);
    }

    // Login failures through one process count on the others: after 4 free failures of one username
    // (spread over the processes), the next attempt waits on every process.
    for (let i = 0; i < 4; i++)
      expect(
        (await call(procs[i % PROCESSES]!, 'POST', '/api/auth/login', { body: { username: 'gw0', password: `wrong-${i}-pass` }, ip: `10.7.0.${i}` })).status,
      ).toBe(401);
    expect((await call(p0, 'POST', '/api/auth/login', { body: { username: 'gw0', password: 'wrong-4-pass' }, ip: '10.7.0.9' })).status).toBe(401);
    for (const p of procs)
      expect((await call(p, 'POST', '/api/auth/login', { body: { username: 'gw0', password: PASSWORD }, ip: '10.7.1.1' })).status).toBe(429);

    expect(pushes).toBeGreaterThan(PHONES * BATCHES);
  }, 120_000);
});
