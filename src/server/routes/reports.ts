// GET /api/reports/annual?year=Y&orgUnitId=U&format=docx|html|json[&rounded=1] (office and
// admin, U a town or a county in their scope; a lower unit is a 422): the draft of the year's
// 法治政府建设情况报告 for U's subtree, or, once finalised, the frozen final text.
// POST /api/reports/annual/finalise {year, orgUnitId, rounded?} (office and admin): 定稿 — the
// draft as it stands is frozen (text and figures) into the audit log as `report.finalised`,
// which is both the record of who signed it off and the copy every later GET returns. json is the
// document model (paragraphs of text, figures with links, placeholders); html a printable
// A4 page whose figures link to their records; docx the Word file for editing.
import { Hono } from 'hono';
import * as v from 'valibot';
import type { AnnualReportResponse } from '#shared/api/reports';
import { requireRole, requireUser } from '../access/middleware.ts';
import { periodTree } from '../access/org-closing.ts';
import { loadOrgTree } from '../access/org-tree.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/env.ts';
import { failure, sendFailure } from '../http/errors.ts';
import { parseJsonBody, validate } from '../http/body.ts';
import { auditEntry } from '../access/audit.ts';
import { reportedOf } from '../office/periods.ts';
import { childOfRoot, unitsInScope } from '../office/scope-units.ts';
import { draftAnnualReport, reportKindOf } from '../reports/annual.ts';
import { renderReportDocx } from '../reports/docx.ts';
import { renderReportHtml } from '../reports/html.ts';
import type { AnnualReport } from '../reports/model.ts';
import type { Store } from '../storage/store.ts';
import { localDateOf } from '#shared/time';

const AnnualQuery = v.object({
  year: v.pipe(v.string('请指定年份'), v.regex(/^\d{4}$/, '年份应为四位数字'), v.transform(Number), v.minValue(2000, '年份不对'), v.maxValue(2200, '年份不对')),
  orgUnitId: v.pipe(v.string('请指定单位'), v.minLength(1, '请指定单位'), v.maxLength(64, '单位编号过长')),
  format: v.optional(v.picklist(['docx', 'html', 'json'], '格式应为 docx、html 或 json'), 'json'),
  /** rounded=1: 90余场次 instead of 96场次. */
  rounded: v.optional(v.picklist(['0', '1'], 'rounded 应为 0 或 1')),
});

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** RFC 6266 filename for a Chinese name, with an ASCII fallback. */
export function attachmentDisposition(name: string, asciiFallback: string): string {
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const FinaliseRequest = v.object({
  year: v.pipe(v.number('请指定年份'), v.integer('年份不对'), v.minValue(2000, '年份不对'), v.maxValue(2200, '年份不对')),
  orgUnitId: v.pipe(v.string('请指定单位'), v.minLength(1, '请指定单位'), v.maxLength(64, '单位编号过长')),
  rounded: v.optional(v.boolean()),
});

const FINALISED = 'report.finalised';
const reportSubject = (orgUnitId: string, year: number) => `annual-report:${orgUnitId}:${year}`;

/** The finalised report of a unit and year, as frozen at 定稿. */
async function finalOf(store: Store, orgUnitId: string, year: number): Promise<AnnualReport | undefined> {
  const [entry] = await store.listAudit({ action: FINALISED, subjectId: reportSubject(orgUnitId, year), limit: 1 });
  const frozen = entry?.detail?.report as AnnualReport | undefined;
  if (!entry || !frozen) return undefined;
  return { ...frozen, status: 'final', finalisedAt: entry.at, finalisedByName: entry.actorName ?? '' };
}

export function reportRoutes({ store, config, clock }: { store: Store; config: Config; clock: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/annual', requireUser(store, { clock }), requireRole('office', 'admin'), async (c) => {
    const q = validate(AnnualQuery, c.req.query());
    if (!q.ok) return sendFailure(c, q);
    const tree = periodTree(await loadOrgTree(store), { year: q.value.year });
    const scoped = unitsInScope(tree, c.var.scope, q.value.orgUnitId);
    if (!scoped.ok) {
      return sendFailure(c, scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限查看该单位'));
    }
    const kind = reportKindOf(scoped.root);
    if (kind === undefined) {
      return sendFailure(
        c,
        failure(422, 'wrong_unit_level', `年度法治政府建设情况报告是乡镇（街道）或县级的文件，${scoped.root.name}不能单独出具；请选择所属乡镇或县后生成。`),
      );
    }
    const drafted =
      (await finalOf(store, scoped.root.id, q.value.year)) ??
      (await draftAnnualReport(store, tree, {
        year: q.value.year,
        root: scoped.root,
        units: scoped.units,
        timeZone: config.timeZone,
        kind,
        rounded: q.value.rounded === '1',
      }));
    // Read at each GET, never frozen with a final text: late records can arrive after 定稿 too.
    const reported = await reportedOf(store, {
      orgUnitId: scoped.root.id,
      units: scoped.units,
      year: q.value.year,
      month: 0,
      timeZone: config.timeZone,
      childOf: childOfRoot(tree, scoped.root.id),
    });
    const report: AnnualReport = reported ? { ...drafted, reported } : drafted;
    const name = `${scoped.root.name}${report.year}年度法治政府建设情况报告${report.status === 'final' ? '' : '（草稿）'}`;
    if (q.value.format === 'docx') {
      const bytes = await renderReportDocx(report);
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': DOCX_TYPE,
        'Content-Disposition': attachmentDisposition(`${name}.docx`, `annual-report-${report.year}.docx`),
      });
    }
    if (q.value.format === 'html') return c.html(renderReportHtml(report));
    return c.json<AnnualReportResponse>(report);
  });

  app.post('/annual/finalise', requireUser(store, { clock }), requireRole('office', 'admin'), async (c) => {
    const body = await parseJsonBody(c, FinaliseRequest);
    if (!body.ok) return sendFailure(c, body);
    const { year, orgUnitId, rounded } = body.value;
    // The current year stays open to 定稿 (drafting in December is real practice); a year not yet
    // begun has no records, and its frozen text would stand as the report for good.
    const thisYear = Number(localDateOf(clock().toISOString(), config.timeZone).slice(0, 4));
    if (year > thisYear) return sendFailure(c, failure(422, 'implausible', `${year}年尚未开始（今年是${thisYear}年），不能为其定稿`));
    const tree = periodTree(await loadOrgTree(store), { year });
    const scoped = unitsInScope(tree, c.var.scope, orgUnitId);
    if (!scoped.ok) {
      return sendFailure(c, scoped.code === 'unknown_org_unit' ? failure(404, 'not_found', '找不到该单位') : failure(403, 'forbidden', '没有权限为该单位定稿'));
    }
    const kind = reportKindOf(scoped.root);
    if (kind === undefined) return sendFailure(c, failure(422, 'wrong_unit_level', `${scoped.root.name}不出具年度法治政府建设情况报告`));
    const done = await finalOf(store, orgUnitId, year);
    if (done)
      return sendFailure(
        c,
        failure(
          409,
          'already_closed',
          `${scoped.root.name}${year}年度报告已于 ${done.finalisedAt ? localDateOf(done.finalisedAt, config.timeZone) : ''} 由${done.finalisedByName ?? ''}定稿`,
        ),
      );
    const report = await draftAnnualReport(store, tree, {
      year,
      root: scoped.root,
      units: scoped.units,
      timeZone: config.timeZone,
      kind,
      rounded: rounded === true,
    });
    const frozen: AnnualReport = { ...report, status: 'final' };
    const at = clock();
    await store.appendAudit(
      auditEntry(c.var.principal, at, FINALISED, {
        subjectId: reportSubject(orgUnitId, year),
        orgUnitId,
        detail: { year, placeholders: report.placeholders.length, report: frozen },
      }),
    );
    return c.json<AnnualReportResponse>({ ...frozen, finalisedAt: at.toISOString(), finalisedByName: c.var.principal.username }, 201);
  });
  return app;
}
