// Events the office writes about a case through the server (a 典型案例 story, the 以案定补 grade):
// applied through the same push as field records, on the case's home unit, so they are in the
// log, deduplicated and pulled to phones like any event (as office/ledgers.ts does for ledgers).
import { v7 as uuidv7 } from 'uuid';
import { canonicalJson, type DomainEvent, type EventData } from '#shared/events';
import type { CaseState } from '#shared/fold/index';
import type { PushResult } from '#shared/protocol';
import type { Principal } from '../access/scope.ts';
import { pushBatch } from '../services/push.ts';
import type { Store } from '../storage/store.ts';

const OFFICE_DEVICE = 'office-web';

export async function writeCaseEvent<T extends 'case.typical' | 'case.graded'>(
  store: Store,
  principal: Principal,
  state: CaseState,
  type: T,
  data: EventData<T>,
  now: Date,
  timeZone: string,
): Promise<PushResult> {
  const event = {
    id: uuidv7(),
    type,
    subjectId: state.subjectId,
    orgUnitId: state.orgUnitId,
    occurredAt: now.toISOString(),
    recordedAt: now.toISOString(),
    deviceId: OFFICE_DEVICE,
    deviceSeq: now.getTime(),
    data,
  } as DomainEvent;
  const outcome = await pushBatch(store, {
    authorId: principal.userId,
    deviceId: OFFICE_DEVICE,
    receivedAt: now.toISOString(),
    userOrgUnitId: undefined,
    pending: undefined,
    timeZone,
    items: [{ kind: 'accepted', event, canonical: canonicalJson(event) }],
  });
  return outcome.results[0] ?? { id: event.id, status: 'rejected', error: { code: 'internal', message: '未能保存' } };
}
