// Every API route's JSON answer and the shared schema (src/shared/api) it must pass. The test
// app (support/app.ts) walks every answer of every server test through this table, so a route
// whose answer drifts from its schema fails the test that called it; api-schemas.test.ts checks
// that each route here is answered at least once.
import * as v from 'valibot';
import * as admin from '../../../src/shared/api/admin.ts';
import * as audit from '../../../src/shared/api/audit.ts';
import * as auth from '../../../src/shared/api/auth.ts';
import * as devices from '../../../src/shared/api/devices.ts';
import { ErrorAnswer, ErrorCode, OkAnswer } from '../../../src/shared/api/errors.ts';
import * as office from '../../../src/shared/api/office.ts';
import * as reports from '../../../src/shared/api/reports.ts';
import * as returns from '../../../src/shared/api/returns.ts';
import * as stats from '../../../src/shared/api/stats.ts';
import { CompletenessResponse } from '../../../src/shared/stats/completeness.ts';
import { PivotResponse } from '../../../src/shared/stats/pivot.ts';
import * as sync from '../../../src/shared/api/sync.ts';
import * as major from '../../../src/shared/major/api.ts';
import * as subsidy from '../../../src/shared/subsidy/api.ts';

const Health = v.object({ ok: v.literal(true), version: v.string(), store: v.picklist(['sqlite', 'postgres']) });

export interface RouteSchema {
  method: string;
  path: RegExp;
  schema: v.GenericSchema;
}

const route = (method: string, path: string, schema: v.GenericSchema): RouteSchema => ({
  method,
  path: new RegExp(`^${path.replace(/:[a-zA-Z]+/g, '[^/]+')}$`),
  schema,
});

export const ROUTE_SCHEMAS: readonly RouteSchema[] = [
  route('GET', '/api/health', Health),
  route('POST', '/api/auth/login', auth.LoginResponse),
  route('POST', '/api/auth/logout', OkAnswer),
  route('GET', '/api/me', auth.MeResponse),
  route('GET', '/api/admin/org-units', admin.OrgUnitsResponse),
  route('POST', '/api/admin/org-units', admin.OrgUnit),
  route('POST', '/api/admin/org-units/import', admin.OrgImportResponse),
  route('POST', '/api/admin/org-units/import/preview', admin.OrgImportPreview),
  route('PATCH', '/api/admin/org-units/:id', admin.OrgUnit),
  route('POST', '/api/admin/org-units/:id/close', admin.OrgUnitCloseResponse),
  route('GET', '/api/admin/users', admin.UsersResponse),
  route('POST', '/api/admin/users', admin.AdminUser),
  route('PATCH', '/api/admin/users/:id', admin.AdminUser),
  route('POST', '/api/admin/users/:id/password', admin.PasswordResetResponse),
  route('GET', '/api/admin/devices', admin.DevicesResponse),
  route('DELETE', '/api/admin/devices/:id', OkAnswer),
  route('GET', '/api/admin/audit', audit.AuditPage),
  route('POST', '/api/audit/reveal', audit.RevealResponse),
  route('POST', '/api/sync/push', sync.PushResponse),
  route('GET', '/api/sync/pull', sync.PullResponse),
  route('GET', '/api/sync/rejected', sync.RejectedResponse),
  route('PUT', '/api/attachments/:sha', sync.AttachmentStored),
  route('GET', '/api/devices', devices.DevicesStatusResponse),
  route('GET', '/api/stats/summary', stats.SummaryResponse),
  route('GET', '/api/stats/pivot', PivotResponse),
  route('GET', '/api/stats/completeness', CompletenessResponse),
  route('GET', '/api/reports/annual', reports.AnnualReportResponse),
  route('POST', '/api/reports/annual/finalise', reports.AnnualReportResponse),
  route('GET', '/api/office/records', office.RecordsResponse),
  route('GET', '/api/office/grids', office.GridsResponse),
  route('GET', '/api/office/ledgers', office.LedgerListResponse),
  route('POST', '/api/office/ledgers', office.LedgerCreated),
  route('POST', '/api/office/ledgers/:id/void', OkAnswer),
  route('GET', '/api/office/quality', office.QualityResponse),
  route('POST', '/api/office/periods/close', office.PeriodClosed),
  route('GET', '/api/office/periods', office.PeriodsResponse),
  route('GET', '/api/returns/monthly', returns.MonthlyReturnResponse),
  route('GET', '/api/returns/type-map', returns.TypeMapResponse),
  route('PUT', '/api/returns/type-map', returns.TypeMapResponse),
  route('GET', '/api/returns/mediators', returns.MediatorsResponse),
  route('PUT', '/api/returns/mediators/:userId', OkAnswer),
  route('GET', '/api/major/alerts', major.AlertsResponse),
  route('GET', '/api/major/alerts/:id', major.FlashReport),
  route('POST', '/api/major/alerts/:id/ack', major.Alert),
  route('GET', '/api/major/typical', major.TypicalResponse),
  route('POST', '/api/major/cases/:id/typical', OkAnswer),
  route('GET', '/api/subsidy/rules', subsidy.RulesResponse),
  route('PUT', '/api/subsidy/rules', subsidy.RulesResponse),
  route('GET', '/api/subsidy/ledger', subsidy.LedgerResponse),
  route('POST', '/api/subsidy/approve', subsidy.LedgerResponse),
  route('POST', '/api/subsidy/cases/:id/grade', OkAnswer),
];

/** Routes answered with a 2xx JSON body during this test file (api-schemas.test.ts reads it). */
export const answeredRoutes = new Set<RouteSchema>();

const PushResults = v.object({ results: v.array(v.object({ error: v.optional(v.object({ code: ErrorCode })) })) });

/**
 * Why this JSON answer does not match its route's schema, or undefined when it does. A
 * schema copies only the keys it names, so an answer that equals its own parse has no key
 * the contract does not know either (loose objects, such as pulled events, keep theirs).
 */
export function answerDrift(method: string, url: string, status: number, body: unknown): string | undefined {
  const path = new URL(url, 'http://test').pathname;
  if (status < 200 || status >= 300) {
    const parsed = v.safeParse(ErrorAnswer, body);
    if (!parsed.success) return `${method} ${path} ${status}: not an ErrorAnswer: ${v.summarize(parsed.issues)}`;
    return undefined;
  }
  const entry = ROUTE_SCHEMAS.find((r) => r.method === method && r.path.test(path));
  if (!entry) return `${method} ${path} answered JSON but has no schema in test/server/support/api-schemas.ts`;
  const parsed = v.safeParse(entry.schema, body);
  if (!parsed.success) return `${method} ${path} ${status}: ${v.summarize(parsed.issues)}`;
  const extra = firstDifference(body, parsed.output, '');
  if (extra !== undefined) return `${method} ${path} ${status}: ${extra} is not in the schema`;
  if (entry.schema === sync.PushResponse) {
    const codes = v.safeParse(PushResults, body);
    if (!codes.success) return `${method} ${path}: a reject code outside ERROR_CODES: ${v.summarize(codes.issues)}`;
  }
  answeredRoutes.add(entry);
  return undefined;
}

/** The first path where `sent` has a key that `parsed` (the schema's copy) dropped. */
function firstDifference(sent: unknown, parsed: unknown, at: string): string | undefined {
  if (Array.isArray(sent) && Array.isArray(parsed)) {
    for (const [i, x] of sent.entries()) {
      const d = firstDifference(x, parsed[i], `${at}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (sent && typeof sent === 'object' && parsed && typeof parsed === 'object') {
    for (const [k, x] of Object.entries(sent)) {
      if (!(k in parsed)) return `${at}.${k}`;
      const d = firstDifference(x, (parsed as Record<string, unknown>)[k], `${at}.${k}`);
      if (d !== undefined) return d;
    }
  }
  return undefined;
}
