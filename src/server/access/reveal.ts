// Opening a record's personal data on purpose. Office and admin staff see names, phones and
// ID numbers masked (scope.seesPersonalData is false for them); to see one record unmasked
// they give a reason, which is written to the audit log, and for REVEAL_TTL_MS that user
// may see that record unmasked. The grant is read back from the audit log itself, so it
// holds on every API server sharing the database and leaves a trail by construction.
//
// Two ways in, both auditing the same way:
// - POST /api/audit/reveal {subjectId, orgUnitId, reason} (routes/audit.ts), then any
//   record route asks `isRevealed(store, principal, subjectId, now)`;
// - a record route may accept `?reveal=1&reason=…` and call `recordReveal` itself (after
//   checking scope.canRead of the record's unit).
import type { AccountStore } from '../storage/account-store.ts';
import { auditEntry } from './audit.ts';
import type { Principal } from './scope.ts';

export const REVEAL_TTL_MS = 10 * 60 * 1000;
export const REVEAL_ACTION = 'personal_data.revealed';

export interface RevealRequest {
  subjectId: string;
  orgUnitId: string;
  reason: string;
}

export async function recordReveal(store: AccountStore, principal: Principal, input: RevealRequest, now: Date): Promise<{ until: string }> {
  await store.appendAudit(auditEntry(principal, now, REVEAL_ACTION, { subjectId: input.subjectId, orgUnitId: input.orgUnitId, reason: input.reason }));
  return { until: new Date(now.getTime() + REVEAL_TTL_MS).toISOString() };
}

/** Whether this user opened this record's personal data within the last REVEAL_TTL_MS. */
export async function isRevealed(store: AccountStore, principal: Principal, subjectId: string, now: Date): Promise<boolean> {
  const recent = await store.listAudit({ action: REVEAL_ACTION, actorId: principal.userId, subjectId, from: new Date(now.getTime() - REVEAL_TTL_MS), limit: 1 });
  return recent.length > 0;
}
