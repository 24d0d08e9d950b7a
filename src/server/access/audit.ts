// Audit log entries: who (the principal), when, what action, which record or unit, why.
import type { NewAuditEntry } from '../storage/account-store.ts';
import type { Principal } from './scope.ts';

export function auditEntry(
  principal: Principal,
  at: Date,
  action: string,
  fields: Partial<Pick<NewAuditEntry, 'subjectId' | 'orgUnitId' | 'reason' | 'detail'>> = {},
): NewAuditEntry {
  return { at, actorId: principal.userId, actorName: principal.username, action, subjectId: null, orgUnitId: null, reason: null, detail: null, ...fields };
}
