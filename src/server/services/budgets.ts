// What one user and one device may push and upload per local day (config.limits): checked before
// the work, charged after it. Over budget is 429 with Retry-After (the next local midnight) and a
// Chinese message. Two requests at the same moment may both pass the check: the budget is a
// brake on a runaway or hostile client, not an exact quota.
import { addDays, localDateOf, zoneOffsetMinutes } from '#shared/time';
import type { Principal } from '../access/scope.ts';
import type { AttachmentStore, UsageSubject } from '../storage/attachment-store.ts';

export interface BudgetDay {
  day: string;
  /** Seconds until the next local midnight, when the counters start again. */
  retryAfter: number;
}

export function budgetDayOf(now: Date, timeZone: string): BudgetDay {
  const day = localDateOf(now.toISOString(), timeZone);
  const midnightUtc = Date.parse(`${addDays(day, 1)}T00:00:00Z`);
  const nextMidnight = midnightUtc - zoneOffsetMinutes(new Date(midnightUtc), timeZone) * 60_000;
  return { day, retryAfter: Math.max(1, Math.ceil((nextMidnight - now.getTime()) / 1000)) };
}

/** The budget subjects of a request: its user, and its device (the one named, else the token's, else the token). */
export function subjectsOf(principal: Principal, deviceId?: string): [user: UsageSubject, device: UsageSubject] {
  return [`user:${principal.userId}`, `device:${deviceId ?? principal.deviceId ?? `token-${principal.tokenId}`}`];
}

/** Whether adding `events` and `bytes` keeps every subject within its budget today. */
export async function withinBudget(
  store: AttachmentStore,
  subjects: readonly UsageSubject[],
  day: string,
  want: { events: number; uploadBytes: number },
  limits: { events: number; uploadBytes: number },
): Promise<boolean> {
  const used = await store.usageOf(subjects, day);
  return used.every((u) => u.events + want.events <= limits.events && u.uploadBytes + want.uploadBytes <= limits.uploadBytes);
}
