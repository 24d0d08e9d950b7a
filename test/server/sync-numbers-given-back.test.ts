// Case numbers given back after a restore, on both stores. The server seals every case.numbered
// it makes; a phone that starts over gives back the sealed number of each case it registered,
// just before the registration (src/app/storage/start-over.ts). The server takes such a number
// again when the case holds none and no other case holds it, raising the counter past it; a
// number another case took meanwhile is answered duplicate and the case is numbered afresh; a
// seal the server did not make, or a phone outside the case's unit, is refused as before.
// "Numbers made before the restore" are made here with the server's own key (what the restored
// database holds), so no real restore is needed: test/server/backup-restore.test.ts does one.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatCaseNumber } from '#shared/case-number';
import type { DomainEvent } from '#shared/events';
import { sealOf, uuidv7 } from '../../src/server/services/case-number.ts';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { caseOpened, G1, pullAll, push, seedTownship, V1_COMMITTEE, type PullAnswer, type Township } from './support/sync-fixtures.ts';

type Numbered = Extract<DomainEvent, { type: 'case.numbered' }>;

describe.each(storeCases())('case numbers given back on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  let key: Buffer;
  beforeAll(async () => {
    town = await seedTownship(t());
    key = await t().store.caseNumberSealKey();
  });

  const numbersOf = async (): Promise<Map<string, Numbered>> => {
    const { events } = await pullAll(t(), town.tokens.admin!);
    const out = new Map<string, Numbered>();
    for (const e of events as PullAnswer['events']) if (e.type === 'case.numbered') out.set(e.subjectId, e as unknown as Numbered);
    return out;
  };
  /** A number this server made for the case (sealed with its key), as a restored database's phones hold it. */
  const madeBefore = (opened: DomainEvent, sequence: number): Numbered => {
    const at = '2024-03-02T10:00:00.000+08:00';
    const event: Numbered = {
      id: uuidv7(Date.parse(at)),
      type: 'case.numbered',
      subjectId: opened.subjectId,
      orgUnitId: opened.orgUnitId,
      occurredAt: at,
      recordedAt: at,
      deviceId: 'server',
      deviceSeq: sequence,
      // As the server printed it: the committee's short name (sync-fixtures.ts).
      data: { caseNumber: formatCaseNumber(2024, '红星村', sequence), year: 2024, committeeId: V1_COMMITTEE, sequence },
    };
    event.data.seal = sealOf(event, key);
    return event;
  };
  const opening = () => caseOpened(G1, '2024-03-01T09:00:00+08:00', { committeeId: V1_COMMITTEE });

  it('seals the numbers it makes', async () => {
    const opened = opening();
    expect((await push(t(), town.tokens.grid1!, [opened])).body.results[0]?.status).toBe('applied');
    const numbered = (await numbersOf()).get(opened.subjectId)!;
    expect(numbered.data.seal).toBe(sealOf({ ...numbered, data: { ...numbered.data, seal: undefined } }, key));
  });

  it('takes a number given back before its case, keeps it for the case, and numbers the next case after it', async () => {
    const opened = opening();
    const given = madeBefore(opened, 7);
    const r = await push(t(), town.tokens.grid1!, [given, opened]);
    expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'applied']);
    const numbers = await numbersOf();
    expect(numbers.get(opened.subjectId)).toMatchObject({ id: given.id, data: { sequence: 7, caseNumber: given.data.caseNumber } });

    // The counter went past it: no later case gets 7, and the gap before it stays for the numbers still to come back.
    const next = opening();
    await push(t(), town.tokens.grid1!, [next]);
    expect((await numbersOf()).get(next.subjectId)?.data.sequence).toBe(8);

    // A number below the counter that no case holds comes back too, with only what was sealed.
    const late = opening();
    const lateNumber = { ...madeBefore(late, 5), basedOn: [given.id] };
    expect((await push(t(), town.tokens.grid1!, [lateNumber, late])).body.results.map((x) => x.status)).toEqual(['applied', 'applied']);
    const back = (await numbersOf()).get(late.subjectId)!;
    expect(back.data.sequence).toBe(5);
    expect(back).not.toHaveProperty('basedOn');
  });

  it('numbers a case afresh when another case took its number meanwhile, and keeps every number once', async () => {
    const taken = [...(await numbersOf()).values()].find((n) => n.data.sequence === 8)!;
    const opened = opening();
    const given = madeBefore(opened, 8);
    const r = await push(t(), town.tokens.grid1!, [given, opened]);
    expect(r.body.results.map((x) => x.status)).toEqual(['duplicate', 'applied']);
    const numbers = await numbersOf();
    expect(numbers.get(opened.subjectId)?.data.sequence).toBe(9);
    expect(numbers.get(taken.subjectId)?.id).toBe(taken.id);
    const sequences = [...numbers.values()].filter((n) => n.data.committeeId === V1_COMMITTEE).map((n) => n.data.sequence);
    expect(sequences.length).toBe(new Set(sequences).size);

    // Given back once the case has its fresh number: nothing changes.
    expect((await push(t(), town.tokens.grid1!, [madeBefore(opened, 20)])).body.results[0]?.status).toBe('duplicate');
    expect((await numbersOf()).get(opened.subjectId)?.data.sequence).toBe(9);
  });

  it('refuses a number without the server’s seal, or from a phone outside the case’s unit', async () => {
    const opened = opening();
    const forged = { ...madeBefore(opened, 30), data: { ...madeBefore(opened, 30).data, sequence: 2 } };
    const unsealed = { ...madeBefore(opened, 31), data: { ...madeBefore(opened, 31).data, seal: undefined } };
    const r = await push(t(), town.tokens.grid1!, [forged, unsealed]);
    expect(r.body.results.map((x) => [x.status, x.error?.code])).toEqual([
      ['rejected', 'forbidden_type'],
      ['rejected', 'forbidden_type'],
    ]);
    const elsewhere = madeBefore(opened, 32);
    expect((await push(t(), town.tokens.grid3!, [elsewhere])).body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden_type' } });
    const numbers = await numbersOf();
    expect(numbers.has(opened.subjectId)).toBe(false);
    expect([...numbers.values()].map((n) => n.data.sequence)).not.toContain(32);
  });

  it('takes no number for a case whose registration is not in the log or applied with it', async () => {
    const alone = opening();
    expect((await push(t(), town.tokens.grid1!, [madeBefore(alone, 40)])).body.results[0]?.status).toBe('duplicate');
    // The registration is refused (dated years ahead): its number is not kept either.
    const refused = caseOpened(G1, '2099-03-01T09:00:00+08:00', { committeeId: V1_COMMITTEE });
    const r = await push(t(), town.tokens.grid1!, [madeBefore(refused, 41), refused]);
    expect(r.body.results.map((x) => [x.status, x.error?.code])).toEqual([
      ['duplicate', undefined],
      ['rejected', 'implausible'],
    ]);
    const sequences = [...(await numbersOf()).values()].map((n) => n.data.sequence);
    expect(sequences).not.toContain(40);
    expect(sequences).not.toContain(41);
    // The registration arriving later is numbered afresh: the numbers not taken raised no counter.
    expect((await push(t(), town.tokens.grid1!, [alone])).body.results[0]?.status).toBe('applied');
    expect((await numbersOf()).get(alone.subjectId)?.data.sequence).toBeLessThan(40);
  });
});
