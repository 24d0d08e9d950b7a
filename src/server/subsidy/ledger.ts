// The 以案定补 ledger on the server: the unit's rules (its own, else the nearest ancestor's, else
// the defaults), a month's ledger computed from the cases' folded states (#shared/subsidy/ledger)
// or, once approved, read back exactly as approved; and approving a month, which freezes it.
import * as v from 'valibot';
import type { CaseState } from '#shared/fold/index';
import { SubsidyLedger } from '#shared/subsidy/api';
import { buildSubsidyLedger, paidIn } from '#shared/subsidy/ledger';
import { DEFAULT_SUBSIDY_RULES, SubsidyRules } from '#shared/subsidy/rules';
import type { Principal } from '../access/scope.ts';
import type { OrgTree } from '../access/org-tree.ts';
import { STATE_LIMIT } from '../office/figures.ts';
import type { Store } from '../storage/store.ts';
import type { StoredSubsidyRules, SubsidyApproval } from '../storage/subsidy-store.ts';

export interface RulesInForce {
  rules: SubsidyRules;
  from: StoredSubsidyRules | undefined;
}

/** The rules a unit follows: its own, else its nearest ancestor's, else the defaults. */
export async function rulesFor(store: Store, tree: OrgTree, orgUnitId: string): Promise<RulesInForce> {
  const chain = [orgUnitId, ...tree.ancestors(orgUnitId).map((u) => u.id)];
  const held = new Map((await store.subsidyRules(chain)).map((r) => [r.orgUnitId, r]));
  for (const id of chain) {
    const row = held.get(id);
    const parsed = row ? v.safeParse(SubsidyRules, JSON.parse(row.rules)) : undefined;
    if (row && parsed?.success) return { rules: parsed.output, from: row };
  }
  return { rules: DEFAULT_SUBSIDY_RULES, from: undefined };
}

const keyOf = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

export interface MonthLedger {
  ledger: SubsidyLedger;
  rules: SubsidyRules;
  approval: SubsidyApproval | undefined;
}

/** Cases closed from the start of the year before up to the month: what a month's ledger can list. */
async function candidateCases(store: Store, units: readonly string[], year: number, month: number): Promise<CaseState[]> {
  const [before, during] = await Promise.all([
    store.listCases({ basis: 'closed', year: year - 1, fromMonth: 1, toMonth: 12, units, limit: STATE_LIMIT }),
    store.listCases({ basis: 'closed', year, fromMonth: 1, toMonth: month, units, limit: STATE_LIMIT }),
  ]);
  return [...before.items, ...during.items];
}

/** Display name of whoever recorded each case's registration (the author of its case.opened). */
async function recordersOf(store: Store, units: readonly string[]): Promise<(subjectId: string) => string | undefined> {
  const [opened, users] = await Promise.all([
    store.listLedgerEvents({ types: ['case.opened'], units, from: '1970-01-01T00:00:00Z', to: '9999-12-31T00:00:00Z' }),
    store.listUsers(),
  ]);
  const names = new Map(users.map((u) => [u.id, u.displayName || u.username]));
  const author = new Map<string, string>();
  for (const e of opened) if (!author.has(e.subjectId)) author.set(e.subjectId, e.authorId);
  return (subjectId) => {
    const id = author.get(subjectId);
    return id === undefined ? undefined : (names.get(id) ?? id);
  };
}

export async function monthLedger(
  store: Store,
  tree: OrgTree,
  orgUnitId: string,
  units: readonly string[],
  year: number,
  month: number,
  timeZone: string,
): Promise<MonthLedger> {
  // A case is paid once whichever unit approves it: approvals of the units above and below
  // this one count as paid too (a town's approval covers its villages' cases, and back).
  const overlapping = [...new Set([orgUnitId, ...tree.ancestors(orgUnitId).map((u) => u.id), ...units])];
  const [{ rules }, approvals] = await Promise.all([rulesFor(store, tree, orgUnitId), store.listSubsidyApprovals(overlapping)]);
  const own = approvals.filter((a) => a.orgUnitId === orgUnitId);
  const approval = own.find((a) => a.year === year && a.month === month);
  if (approval) {
    // An approved month is read back as approved, whatever arrived or changed since.
    return { ledger: v.parse(SubsidyLedger, JSON.parse(approval.ledger)), rules, approval };
  }
  const [cases, recorderOf] = await Promise.all([candidateCases(store, units, year, month), recordersOf(store, units)]);
  const ledger = buildSubsidyLedger({
    year,
    month,
    cases,
    rules,
    approvedMonths: new Set(own.map((a) => keyOf(a.year, a.month))),
    paid: new Set(approvals.flatMap((a) => JSON.parse(a.paid) as string[])),
    recorderOf,
    timeZone,
  });
  for (const m of ledger.mediators) for (const c of [...m.qualifying, ...m.pending]) c.unitName = tree.get(c.unitId)?.name ?? c.unitId;
  return { ledger, rules, approval: undefined };
}

/** Approves the month as it stands now; 'duplicate' when it already is. */
export async function approveMonth(
  store: Store,
  tree: OrgTree,
  principal: Principal,
  input: { orgUnitId: string; units: readonly string[]; year: number; month: number },
  now: Date,
  timeZone: string,
): Promise<{ ok: true; approval: SubsidyApproval } | { ok: false }> {
  const current = await monthLedger(store, tree, input.orgUnitId, input.units, input.year, input.month, timeZone);
  if (current.approval) return { ok: false };
  const approval: SubsidyApproval = {
    orgUnitId: input.orgUnitId,
    year: input.year,
    month: input.month,
    approvedBy: principal.userId,
    approvedByName: principal.displayName || principal.username,
    approvedAt: now.toISOString(),
    ledger: JSON.stringify(current.ledger),
    paid: JSON.stringify(paidIn(current.ledger)),
  };
  return (await store.insertSubsidyApproval(approval)) === 'ok' ? { ok: true, approval } : { ok: false };
}
