// What every fold shares: picking one subject's events out of a set, counting each id once,
// ordering by when things happened (never by arrival or device clock at save), and finding
// edits made on different devices without knowledge of each other.
import { canonicalJson, type DomainEvent, type EventData, type EventType, type SubjectKind } from '../events.ts';

export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

/** A fact from one event, with where it came from: the shape lists and timelines render. */
export type Entry<T extends EventType> = { eventId: string; occurredAt: string } & EventData<T>;

/** (occurredAt instant, then id): the one order every "latest" decision uses. */
export function compareEvents(a: DomainEvent, b: DomainEvent): number {
  const ta = Date.parse(a.occurredAt);
  const tb = Date.parse(b.occurredAt);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function isKind(e: DomainEvent, kind: SubjectKind): boolean {
  return e.type.startsWith(`${kind}.`);
}

/**
 * The events of one subject of a kind, each id once, sorted by compareEvents. The subject is
 * `subjectId` when given, else the one of the earliest event of that kind, so the choice
 * depends on the set only. Two different contents under one id (the server rejects that,
 * a broken device might hold it) resolve to the smaller canonical form, again set-only.
 */
export function eventsOfSubject(events: readonly DomainEvent[], kind: SubjectKind, subjectId?: string): DomainEvent[] {
  let subject = subjectId;
  if (subject === undefined) {
    let first: DomainEvent | undefined;
    for (const e of events) if (isKind(e, kind) && (!first || compareEvents(e, first) < 0)) first = e;
    if (!first) return [];
    subject = first.subjectId;
  }
  const byId = new Map<string, DomainEvent>();
  for (const e of events) {
    if (e.subjectId !== subject || !isKind(e, kind)) continue;
    const held = byId.get(e.id);
    if (held === undefined) byId.set(e.id, e);
    else if (held !== e && canonicalJson(e) < canonicalJson(held)) byId.set(e.id, e);
  }
  // Parse each instant once: a comparator that parses costs n·log n Date.parse calls.
  const keyed = [...byId.values()].map((e) => ({ e, t: Date.parse(e.occurredAt) }));
  keyed.sort((a, b) => (a.t !== b.t ? (a.t < b.t ? -1 : 1) : a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0));
  return keyed.map((k) => k.e);
}

export function entryOf<T extends EventType>(e: EventOf<T>): Entry<T> {
  return { ...(e.data as EventData<T>), eventId: e.id, occurredAt: e.occurredAt } as Entry<T>;
}

/**
 * Ids of state-setting events that are concurrent: from different devices, touching a common
 * key, and neither knowing the other. An event knows what its `basedOn` names, what those
 * knew, and its own device's earlier events (a device always knows what it wrote itself).
 * `keysOf` returns the keys an event sets, or none when it sets nothing.
 */
export function findConcurrent(sorted: readonly DomainEvent[], keysOf: (e: DomainEvent) => readonly string[]): string[] {
  const setters = sorted.map((e) => ({ e, keys: keysOf(e) })).filter((s) => s.keys.length > 0);
  if (setters.length < 2) return [];
  const byId = new Map(sorted.map((e) => [e.id, e]));
  const previousOnDevice = new Map<string, DomainEvent>();
  const byDevice = new Map<string, DomainEvent[]>();
  for (const e of sorted) {
    const list = byDevice.get(e.deviceId) ?? [];
    list.push(e);
    byDevice.set(e.deviceId, list);
  }
  for (const list of byDevice.values()) {
    list.sort((a, b) => a.deviceSeq - b.deviceSeq || (a.id < b.id ? -1 : 1));
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1];
      const cur = list[i];
      if (prev && cur && prev.deviceSeq < cur.deviceSeq) previousOnDevice.set(cur.id, prev);
    }
  }
  const knows = (from: DomainEvent, target: string): boolean => {
    const seen = new Set<string>([from.id]);
    const stack: DomainEvent[] = [from];
    while (stack.length > 0) {
      const e = stack.pop() as DomainEvent;
      const next: string[] = [...(e.basedOn ?? [])];
      const prev = previousOnDevice.get(e.id);
      if (prev) next.push(prev.id);
      for (const id of next) {
        if (id === target) return true;
        if (seen.has(id)) continue;
        seen.add(id);
        const known = byId.get(id);
        if (known) stack.push(known);
      }
    }
    return false;
  };
  const flagged = new Set<string>();
  for (let i = 0; i < setters.length; i++) {
    for (let j = i + 1; j < setters.length; j++) {
      const a = setters[i];
      const b = setters[j];
      if (!a || !b || a.e.deviceId === b.e.deviceId) continue;
      if (!a.keys.some((k) => b.keys.includes(k))) continue;
      if (knows(a.e, b.e.id) || knows(b.e, a.e.id)) continue;
      flagged.add(a.e.id);
      flagged.add(b.e.id);
    }
  }
  return [...flagged].sort();
}

/** The object with `changes` applied, keys in changes set to undefined left as they were. */
export function applyChanges<T extends object>(base: T, changes: Partial<T>): T {
  const out = { ...base };
  for (const [k, v] of Object.entries(changes)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
