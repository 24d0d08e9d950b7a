// Office ledgers on the server: writing an entry (a `ledger.recorded` or `ledger.voided` event
// applied through the same store push as field records, so it is in the log, deduplicated and
// pulled like any event), listing a year's entries and turning them into the report's figures.
import { v7 as uuidv7 } from 'uuid';
import { canonicalJson, type DomainEvent } from '#shared/events';
import { ledgerFigures, type LedgerEntry, type LedgerFigures, type LedgerItem } from '#shared/office/ledgers';
import { localParts, nowIsoWithOffset } from '#shared/time';
import type { Principal } from '../access/scope.ts';
import type { PushResult } from '#shared/protocol';
import { pushBatch } from '../services/push.ts';
import type { OfficeStore } from '../storage/office-store.ts';
import type { Store } from '../storage/store.ts';

const LEDGER_DEVICE = 'office-web';

export interface LedgerListItem extends LedgerItem {
  orgUnitId: string;
  authorId: string;
  voided: boolean;
}

/** A year's ledger entries in the units (local year of occurredAt), voided ones flagged. */
export async function listLedger(store: OfficeStore, units: readonly string[], year: number, timeZone: string): Promise<LedgerListItem[]> {
  const events = await store.listLedgerEvents({ types: ['ledger.recorded', 'ledger.voided'], units, from: '1970-01-01T00:00:00Z', to: '9999-12-31T00:00:00Z' });
  const voided = new Set(events.filter((e) => e.type === 'ledger.voided').map((e) => e.subjectId));
  const out: LedgerListItem[] = [];
  for (const e of events) {
    if (e.type !== 'ledger.recorded' || localParts(e.occurredAt, timeZone).year !== year) continue;
    out.push({
      subjectId: e.subjectId,
      eventId: e.id,
      occurredAt: e.occurredAt,
      entry: e.data,
      orgUnitId: e.orgUnitId,
      authorId: e.authorId,
      voided: voided.has(e.subjectId),
    });
  }
  return out.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.eventId < b.eventId ? -1 : 1));
}

export async function ledgerFiguresOf(store: OfficeStore, units: readonly string[], year: number, timeZone: string): Promise<LedgerFigures> {
  return ledgerFigures((await listLedger(store, units, year, timeZone)).filter((i) => !i.voided));
}

/** The instant an entry dated `date` (YYYY-MM-DD, local) is recorded at: noon, with the zone's offset. */
function instantOfDate(date: string, timeZone: string): string {
  const noonUtc = new Date(`${date}T12:00:00Z`);
  return `${date}T12:00:00.000${nowIsoWithOffset(noonUtc, timeZone).slice(-6)}`;
}

async function applyOne(store: Store, principal: Principal, event: DomainEvent, now: Date, timeZone: string): Promise<PushResult> {
  const outcome = await pushBatch(store, {
    authorId: principal.userId,
    deviceId: LEDGER_DEVICE,
    receivedAt: now.toISOString(),
    userOrgUnitId: undefined,
    pending: undefined,
    timeZone,
    items: [{ kind: 'accepted', event, canonical: canonicalJson(event) }],
  });
  return outcome.results[0] ?? { id: event.id, status: 'rejected', error: { code: 'internal', message: '未能保存' } };
}

export async function recordLedgerEntry(
  store: Store,
  principal: Principal,
  input: { orgUnitId: string; date: string; entry: LedgerEntry },
  now: Date,
  timeZone: string,
): Promise<{ subjectId: string; eventId: string; result: PushResult }> {
  const subjectId = uuidv7();
  const event: DomainEvent = {
    id: uuidv7(),
    type: 'ledger.recorded',
    subjectId,
    orgUnitId: input.orgUnitId,
    occurredAt: instantOfDate(input.date, timeZone),
    recordedAt: now.toISOString(),
    deviceId: LEDGER_DEVICE,
    deviceSeq: now.getTime(),
    data: input.entry,
  };
  return { subjectId, eventId: event.id, result: await applyOne(store, principal, event, now, timeZone) };
}

export async function voidLedgerEntry(
  store: Store,
  principal: Principal,
  input: { subjectId: string; orgUnitId: string; reason: string },
  now: Date,
  timeZone: string,
): Promise<PushResult> {
  const event: DomainEvent = {
    id: uuidv7(),
    type: 'ledger.voided',
    subjectId: input.subjectId,
    orgUnitId: input.orgUnitId,
    occurredAt: now.toISOString(),
    recordedAt: now.toISOString(),
    deviceId: LEDGER_DEVICE,
    deviceSeq: now.getTime(),
    data: { reason: input.reason },
  };
  return applyOne(store, principal, event, now, timeZone);
}
