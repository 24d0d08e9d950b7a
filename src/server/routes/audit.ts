// The audit log: reading it (admins, as JSON pages or a CSV for Excel), and
// POST /api/audit/reveal, the way office staff open one party of one case on purpose
// (see access/reveal.ts for how record routes honour it).
import { Hono } from 'hono';
import * as v from 'valibot';
import { REVEAL_REASONS, RevealRequest, type AuditPage, type RevealResponse } from '#shared/api/audit';
import { nowIsoWithOffset } from '#shared/time';
import { requireRole, requireUser } from '../access/middleware.ts';
import { toCsv } from '../access/org-import.ts';
import { recordReveal } from '../access/reveal.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { parseJsonBody, validate } from '../http/body.ts';
import type { AccountStore, AuditEntry } from '../storage/account-store.ts';
import type { OfficeStore } from '../storage/office-store.ts';
import type { SharedStateStore } from '../storage/shared-state-store.ts';

export interface AuditRouteDeps {
  store: AccountStore & SharedStateStore & Pick<OfficeStore, 'caseState'>;
  clock: () => Date;
  /** The deployment's zone: the CSV's 时间 is read by people, in local time. */
  timeZone?: string;
}

const AuditQuery = v.object({
  from: v.optional(v.pipe(v.string(), v.isoDate('开始日期应为 YYYY-MM-DD'))),
  to: v.optional(v.pipe(v.string(), v.isoDate('结束日期应为 YYYY-MM-DD'))),
  action: v.optional(v.pipe(v.string(), v.maxLength(64, '操作类型过长'))),
  actorId: v.optional(v.pipe(v.string(), v.maxLength(64, '用户编号过长'))),
  before: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'before 应为数字'), v.transform(Number))),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, 'limit 应为 1–1000'),
      v.transform(Number),
      v.minValue(1, 'limit 应为 1–1000'),
      v.maxValue(1000, 'limit 应为 1–1000'),
    ),
  ),
});

/** "2024-05-01 09:15:00" in the deployment's zone, for a stored UTC instant. */
function localTime(iso: string, timeZone: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : nowIsoWithOffset(at, timeZone).slice(0, 19).replace('T', ' ');
}

const dayStart = (date: string) => new Date(`${date}T00:00:00+08:00`);

export function auditRoutes({ store, clock, timeZone = 'Asia/Shanghai' }: AuditRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const auth = requireUser(store, { clock });

  // Office staff and admins see parties masked; they open one party of one case on purpose.
  // A record outside the caller's scope answers as if it did not exist.
  app.post('/api/audit/reveal', auth, requireRole('office', 'admin'), async (c) => {
    const body = await parseJsonBody(c, RevealRequest);
    if (!body.ok) return sendFailure(c, body);
    const { subjectId, party, reason, note } = body.value;
    const state = await store.caseState(subjectId);
    if (!state || !c.var.scope.canRead(state.orgUnitId)) return sendFailure(c, failure(404, 'not_found', '没有这个案件，或不在您的查看范围内'));
    const details = state.opened?.parties[party];
    if (!details) return sendFailure(c, failure(404, 'not_found', '这个案件没有该当事人'));
    const label = REVEAL_REASONS.find((r) => r.code === reason)?.label ?? reason;
    const grant = await recordReveal(
      store,
      c.var.principal,
      { subjectId, orgUnitId: state.orgUnitId, party, reason: note ? `${label}：${note}` : label, reasonCode: reason },
      clock(),
    );
    const { name, phone, idNumber, address } = details;
    const shown = { name, ...(phone ? { phone } : {}), ...(idNumber ? { idNumber } : {}), ...(address ? { address } : {}) };
    return c.json<v.InferOutput<typeof RevealResponse>>({ ok: true, subjectId, party, ...grant, details: shown }, 201);
  });

  const readQuery = (query: Record<string, string>) => validate(AuditQuery, query);
  const load = async (q: v.InferOutput<typeof AuditQuery>, limit: number): Promise<AuditEntry[]> =>
    store.listAudit({
      ...(q.from ? { from: dayStart(q.from) } : {}),
      // `to` is inclusive: up to the end of that day (Beijing time).
      ...(q.to ? { to: new Date(dayStart(q.to).getTime() + 24 * 60 * 60 * 1000) } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.actorId ? { actorId: q.actorId } : {}),
      ...(q.before !== undefined ? { beforeId: q.before } : {}),
      limit,
    });

  app.get('/api/admin/audit', auth, requireRole('admin'), async (c) => {
    const q = readQuery(c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const entries = await load(q.value, q.value.limit ?? 100);
    return c.json<AuditPage>({ entries, nextBefore: entries.length ? entries[entries.length - 1]!.id : null });
  });

  app.get('/api/admin/audit.csv', auth, requireRole('admin'), async (c) => {
    const q = readQuery(c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const entries = await load(q.value, 100_000);
    const rows = [
      ['序号', '时间', '操作人', '操作人编号', '操作', '记录', '组织', '原因', '详情'],
      ...entries.map((e) => [
        String(e.id),
        localTime(e.at, timeZone),
        e.actorName ?? '',
        e.actorId ?? '',
        e.action,
        e.subjectId ?? '',
        e.orgUnitId ?? '',
        e.reason ?? '',
        e.detail ? JSON.stringify(e.detail) : '',
      ]),
    ];
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('审计日志.csv')}`);
    return c.body(toCsv(rows));
  });

  return app;
}
