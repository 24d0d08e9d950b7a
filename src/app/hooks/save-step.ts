// What a save needs beyond the form itself: the shared event schemas and plausibility rules,
// and the storage write. A lazy chunk (precached like every chunk), so a capture form opens
// without it; useSaveForm fetches it once the form is on screen, before anyone can tap 保存.
import { plausibilityOf, type Finding } from '#shared/plausibility';
import { nowIsoWithOffset } from '#shared/time';
import { errorsByField, todayLocal } from '../format.ts';
import { InvalidEventError, recordEvents, validateNewEvent, type NewEvent } from '../storage/records.ts';

export { InvalidEventError, recordEvents };

/** The plausibility findings of the events a form built (those with a real instant only). */
export function findingsOf(events: readonly NewEvent[], acceptedOn: string | undefined, now: Date = new Date()): Finding[] {
  // On the phone a date after the phone's own today is refused, not the server's day-and-a-half of slack.
  const today = todayLocal(now);
  return events.flatMap((e) =>
    /T/.test(e.occurredAt) ? plausibilityOf({ type: e.type, occurredAt: e.occurredAt, data: e.data }, { now, acceptedOn, today }) : [],
  );
}

/**
 * The form's own errors together with what the shared schema says about the same input, so
 * the user sees every problem at once instead of one round per field.
 */
export function allErrors(events: readonly NewEvent[], found: Record<string, string>): Record<string, string> {
  const fromSchema: Record<string, string> = {};
  for (const e of events) {
    // Placeholders where the form already reported a missing value.
    const problem = validateNewEvent({ ...e, orgUnitId: e.orgUnitId || 'unset', occurredAt: /T/.test(e.occurredAt) ? e.occurredAt : nowIsoWithOffset() });
    if (!problem) continue;
    for (const [k, m] of Object.entries(errorsByField(problem.issues))) fromSchema[k] ??= m;
  }
  return { ...fromSchema, ...found };
}
