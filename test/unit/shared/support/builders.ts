// Event builders for the shared-domain tests: every event goes through parseEvent, so the
// tests fold only events a real device could have sent.
import { parseEvent, type DomainEvent, type EventData, type EventType } from '#shared/events';

/** A lowercase UUID from a small number: uuid(1) = 00000000-0000-4000-8000-000000000001. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export interface EventOptions {
  id?: string;
  subjectId?: string;
  orgUnitId?: string;
  deviceId?: string;
  deviceSeq?: number;
  basedOn?: string[];
  recordedAt?: string;
}

let nextId = 1_000_000;

/** A valid event of a type; throws with the validator's message when the test wrote a bad one. */
export function makeEvent<T extends EventType>(type: T, occurredAt: string, data: EventData<T>, o: EventOptions = {}): DomainEvent {
  const input = {
    id: o.id ?? uuid(nextId++),
    type,
    subjectId: o.subjectId ?? uuid(1),
    orgUnitId: o.orgUnitId ?? 'grid-1',
    occurredAt,
    recordedAt: o.recordedAt ?? '2025-06-01T00:00:00Z',
    deviceId: o.deviceId ?? 'dev-1',
    deviceSeq: o.deviceSeq ?? 1,
    data,
    ...(o.basedOn ? { basedOn: o.basedOn } : {}),
  };
  const r = parseEvent(input);
  if (!r.ok) throw new Error(`invalid test event ${type}: ${r.message}`);
  return r.value;
}

export const opened = (occurredAt: string, o: EventOptions = {}, data: Partial<EventData<'case.opened'>> = {}) =>
  makeEvent(
    'case.opened',
    occurredAt,
    {
      disputeType: '03-homestead',
      source: 'application',
      summary: '宅基地边界纠纷',
      parties: [
        { role: 'applicant', name: '张三丰', phone: '13812345678' },
        { role: 'respondent', name: '李四' },
      ],
      ...data,
    },
    o,
  );

export const closed = (occurredAt: string, result: 'success' | 'failure' | 'terminated', o: EventOptions = {}, data: Partial<EventData<'case.closed'>> = {}) =>
  makeEvent('case.closed', occurredAt, { result, agreementForm: result === 'success' ? 'written' : 'none', ...data }, o);

export const reopened = (occurredAt: string, o: EventOptions = {}) => makeEvent('case.reopened', occurredAt, { reason: '当事人反悔' }, o);

export const updated = (occurredAt: string, changes: EventData<'case.updated'>['changes'], o: EventOptions = {}) =>
  makeEvent('case.updated', occurredAt, { changes }, o);

export const voided = (occurredAt: string, o: EventOptions = {}) => makeEvent('case.voided', occurredAt, { reason: '重复登记' }, o);

/** Every permutation is too many; a reversal and a rotation catch order dependence. */
export function reordered<T>(list: readonly T[]): T[][] {
  const rotated = list.length > 1 ? [...list.slice(1), list[0] as T] : [...list];
  return [[...list].reverse(), rotated];
}
