// Official case numbers "（2024）江口人调字第001号", assigned by the server when a case's
// opening first arrives (never on the phone: two phones offline would mint the same number).
// The push service (services/push.ts) reads the (committee, year) counters inside the push
// transaction and numbers without gaps from them; this module decides which case needs one,
// which committee numbers it, and builds the server-written `case.numbered` event that flows back to phones on pull.
import { formatCaseNumber } from '#shared/case-number';
import { CaseNumbered, type DomainEvent } from '#shared/events';
import { localParts } from '#shared/time';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import type { OrgRow } from '../storage/event-store.ts';

export type { OrgRow };

export interface NumberingRequest {
  subjectId: string;
  orgUnitId: string;
  /** data.committeeId of the opening, when the phone named one. */
  committeeId: string | undefined;
  /** Year of the acceptance: data.acceptedOn, else the local year of the opening's occurredAt. */
  year: number;
}

/** The case among these events (one subject) that has an opening and no number yet. */
export function caseNeedingNumber(events: readonly DomainEvent[], timeZone: string): NumberingRequest | undefined {
  let opened: Extract<DomainEvent, { type: 'case.opened' }> | undefined;
  for (const e of events) {
    if (e.type === 'case.numbered') return undefined;
    if (e.type !== 'case.opened') continue;
    if (!opened || earlier(e, opened)) opened = e;
  }
  if (!opened) return undefined;
  const year = opened.data.acceptedOn ? Number(opened.data.acceptedOn.slice(0, 4)) : localParts(opened.occurredAt, timeZone).year;
  // A number for a year the shared schema refuses (a phone clock at 1970, 2204 for 2024) would
  // reach every phone as an invalid case.numbered: such a case stays unnumbered instead.
  if (!v.is(CaseNumbered.entries.year, year)) return undefined;
  return { subjectId: opened.subjectId, orgUnitId: opened.orgUnitId, committeeId: opened.data.committeeId, year };
}

function earlier(a: DomainEvent, b: DomainEvent): boolean {
  const ta = Date.parse(a.occurredAt);
  const tb = Date.parse(b.occurredAt);
  return ta !== tb ? ta < tb : a.id < b.id;
}

export interface NumberingBody {
  committeeId: string;
  shortName: string;
}

/**
 * The committee that numbers a case: the one the phone named when it sits at or above the
 * case's unit (it is in the chain or hangs under one of its units), else the nearest committee
 * hanging under the case's unit or one of its ancestors (the village's, else the town's).
 * A tree without any committee falls back to the nearest village/community/town, so a case
 * is never left without a number. `chain` is the case's unit then its ancestors, nearest first;
 * `committees` are the committee-kind children of the chain's units. A named committee elsewhere
 * (another village's) is ignored rather than rejected: the opening is already on the phone and in
 * its outbox, a rejection would quarantine a real case over one field, while numbering it by its own
 * unit's committee keeps it and cannot use up another committee's official numbers.
 */
export function chooseNumberingBody(explicit: OrgRow | undefined, chain: readonly OrgRow[], committees: readonly OrgRow[], fallbackId: string): NumberingBody {
  const bodyOf = (u: OrgRow): NumberingBody => ({ committeeId: u.id, shortName: u.shortName || u.name });
  const inChain = (u: OrgRow): boolean => chain.some((c) => c.id === u.id || c.id === u.parentId);
  if (explicit && explicit.kind === 'committee' && inChain(explicit)) return bodyOf(explicit);
  for (const unit of chain) {
    if (unit.kind === 'committee') return bodyOf(unit);
    const under = committees.filter((c) => c.parentId === unit.id).sort((a, b) => (a.id < b.id ? -1 : 1));
    if (under[0]) return bodyOf(under[0]);
  }
  const place = chain.find((u) => u.kind === 'village' || u.kind === 'community' || u.kind === 'town') ?? chain[0];
  return place ? bodyOf(place) : { committeeId: fallbackId, shortName: fallbackId };
}

/**
 * The case number, within the length the shared schema allows: a committee without a short
 * name is numbered by its full name (up to 100 characters), cut from the end, whole
 * characters at a time, until the number fits.
 */
export function fittedCaseNumber(year: number, name: string, sequence: number): string {
  const chars = Array.from(name.trim());
  let number = formatCaseNumber(year, chars.join(''), sequence);
  while (!v.is(CaseNumbered.entries.caseNumber, number) && chars.length > 1) {
    chars.pop();
    number = formatCaseNumber(year, chars.join(''), sequence);
  }
  return number;
}

/** The server-written event carrying the number; author 'system', device 'server'; sealed under `sealKey` when given. */
export function buildCaseNumbered(request: NumberingRequest, body: NumberingBody, sequence: number, now: string, sealKey?: Buffer): DomainEvent {
  const event: NumberedEvent = {
    id: uuidv7(Date.parse(now)),
    type: 'case.numbered',
    subjectId: request.subjectId,
    orgUnitId: request.orgUnitId,
    occurredAt: now,
    recordedAt: now,
    deviceId: 'server',
    deviceSeq: sequence,
    data: {
      caseNumber: fittedCaseNumber(request.year, body.shortName, sequence),
      year: request.year,
      committeeId: body.committeeId,
      sequence,
    },
  };
  if (sealKey) event.data.seal = sealOf(event, sealKey);
  return event;
}

export const SYSTEM_AUTHOR = 'system';

type NumberedEvent = Extract<DomainEvent, { type: 'case.numbered' }>;

/**
 * The seal: an HMAC-SHA256 (base64url) under the server's key of every field of the event but
 * the seal. A phone cannot make one, so a case.numbered pushed with a seal that checks is one
 * this server's log held, given back after a restore lost it (routes/sync.ts prepareItem).
 */
export function sealOf(event: NumberedEvent, key: Buffer): string {
  const { caseNumber, year, committeeId, sequence } = event.data;
  const fields = [event.id, event.type, event.subjectId, event.orgUnitId, event.occurredAt, event.recordedAt, event.deviceId, event.deviceSeq];
  return createHmac('sha256', key)
    .update(JSON.stringify([...fields, caseNumber, year, committeeId, sequence]))
    .digest('base64url');
}

/** Whether the event is a case.numbered this server made and sealed. */
export function isSealedByServer(event: DomainEvent, key: Buffer): event is NumberedEvent {
  if (event.type !== 'case.numbered' || !event.data.seal) return false;
  const expected = Buffer.from(sealOf(event, key));
  const given = Buffer.from(event.data.seal);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A UUIDv7 (time-ordered, like the ids phones make) from node's pooled random UUIDs: the
 * `uuid` package draws fresh random bytes per call, which showed up at several percent of a
 * push of new cases. A v4's 122 random bits keep 74 after the 48-bit timestamp, as v7 wants.
 */
export function uuidv7(ms: number = Date.now()): string {
  const hex = randomUUID().replace(/-/g, '');
  const time = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  const rest = `7${hex.slice(13)}`;
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-${rest.slice(0, 4)}-${rest.slice(4, 8)}-${rest.slice(8, 20)}`;
}
