// Opening a record's personal data on purpose. Office and admin staff see names, phones and
// ID numbers masked (scope.seesPersonalData is false for them); to see one record unmasked
// they give a reason, which is written to the audit log, and for REVEAL_TTL_MS that user
// may see that record unmasked. The grant is read back from the audit log itself, so it
// holds on every API server sharing the database and leaves a trail by construction.
//
// POST /api/audit/reveal {subjectId, party, reason, note} (routes/audit.ts) opens one party of
// one case: the grant is checked against the record itself (its unit must be in the caller's
// read scope, whatever the request claims), written to the audit log with the reason, and
// answered with that party's details; `isRevealed` lets other record routes honour it.
import type { AccountStore } from '../storage/account-store.ts';
import { auditEntry } from './audit.ts';
import type { Principal } from './scope.ts';

export const REVEAL_TTL_MS = 10 * 60 * 1000;
const REVEAL_ACTION = 'personal_data.revealed';

export interface RevealGrant {
  subjectId: string;
  /** The record's own unit, as the store holds it. */
  orgUnitId: string;
  party: number;
  /** The reason as a person reads it: the list entry, then the free text. */
  reason: string;
  reasonCode: string;
}

export async function recordReveal(store: AccountStore, principal: Principal, grant: RevealGrant, now: Date): Promise<{ until: string }> {
  const detail = { party: grant.party, reasonCode: grant.reasonCode };
  await store.appendAudit(auditEntry(principal, now, REVEAL_ACTION, { subjectId: grant.subjectId, orgUnitId: grant.orgUnitId, reason: grant.reason, detail }));
  return { until: new Date(now.getTime() + REVEAL_TTL_MS).toISOString() };
}

/** Whether this user opened this record's personal data within the last REVEAL_TTL_MS. */
export async function isRevealed(store: AccountStore, principal: Principal, subjectId: string, now: Date): Promise<boolean> {
  const recent = await store.listAudit({
    action: REVEAL_ACTION,
    actorId: principal.userId,
    subjectId,
    from: new Date(now.getTime() - REVEAL_TTL_MS),
    limit: 1,
  });
  return recent.length > 0;
}
