// When each demo record reached the server. Pushed all at once at load time, every record of
// 2024 would be received in the year of the load: 及时率 0 everywhere, case numbers in the
// order the loader happened to push, a 编号 step dated years after its case. Here each phone
// syncs as a phone in the township would: mostly within minutes, some in the evening, some
// after a few days offline, and a small share held past the month's reporting deadline
// (DEFAULT_GRACE_DAYS after its end), which 及时率 and 迟报 then show. A phone pushes its outbox
// in order, so a record saved while an earlier one is still held goes up with it. Seeded from a
// generator of its own: the records themselves stay exactly what buildYear made.
import type { DomainEvent } from '#shared/events';
import { DEFAULT_GRACE_DAYS, deadlineOf } from '#shared/stats/completeness';
import { createRandom, type Random } from './random.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** The demo township's offset: its records are all written in +08:00 (year.ts). */
const OFFSET_MS = 8 * 3_600_000;

/** One sync of one phone: what it pushed and when the server received it. */
export interface DemoPush {
  author: string;
  receivedAt: string;
  events: DomainEvent[];
}

const localDate = (ms: number) => new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
const localAt = (date: string, hour: number, minute: number) => Date.parse(`${date}T00:00:00+08:00`) + hour * 3_600_000 + minute * MINUTE_MS;

/** When a record saved at `ready` (the phone online again after it) reaches the server. */
function receiptOf(ready: number, rnd: Random): number {
  const kind = rnd.weighted({ online: 76, evening: 15, offline: 7, late: 2 });
  const day = localDate(ready);
  if (kind === 'online') return ready + rnd.int(1, 25) * MINUTE_MS;
  // Back on the home Wi-Fi after a day in the villages.
  if (kind === 'evening') return Math.max(ready + MINUTE_MS, localAt(day, rnd.int(19, 22), rnd.int(0, 59)));
  if (kind === 'offline') return localAt(localDate(ready + rnd.int(1, 4) * DAY_MS), rnd.int(8, 21), rnd.int(0, 59));
  // A phone left off, broken or out of credit until after the month's deadline.
  const [year, month] = day.split('-').map(Number) as [number, number];
  const deadline = Date.parse(`${deadlineOf(year, month, DEFAULT_GRACE_DAYS)}T00:00:00+08:00`);
  return localAt(localDate(deadline + rnd.int(1, 15) * DAY_MS), rnd.int(8, 21), rnd.int(0, 59));
}

/**
 * Every phone's syncs, all phones' merged in order of receipt (the order the server takes them
 * in, so that case numbers follow acceptance), none after `until`. Each phone's records go up
 * in the order they happened, renumbered so: the generator made them case by case.
 */
export function scheduleReceipts(byAuthor: ReadonlyMap<string, readonly DomainEvent[]>, until: Date, seed = 2024): DemoPush[] {
  const rnd = createRandom(seed * 65_537);
  const pushes: DemoPush[] = [];
  for (const [author, list] of byAuthor) {
    const ordered = list
      .map((event, i) => ({ event, i, at: Date.parse(event.occurredAt) }))
      .sort((a, b) => a.at - b.at || a.i - b.i)
      .map(({ event }, k) => ({ ...event, deviceSeq: k + 1 }) as DomainEvent);
    let ready = 0;
    let current: DemoPush | undefined;
    for (const event of ordered) {
      // A phone cannot push a record before it is saved, nor one saved after an earlier one it still holds.
      ready = Math.max(ready, Date.parse(event.recordedAt));
      if (current && ready <= Date.parse(current.receivedAt)) {
        current.events.push(event);
        continue;
      }
      const at = Math.min(receiptOf(ready, rnd), until.getTime());
      if (at < ready) throw new Error(`demo record of ${author} saved at ${event.recordedAt}, after the load's today ${until.toISOString()}`);
      current = { author, receivedAt: new Date(at).toISOString(), events: [event] };
      pushes.push(current);
    }
  }
  return pushes.sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt) || (a.author < b.author ? -1 : a.author > b.author ? 1 : 0));
}
