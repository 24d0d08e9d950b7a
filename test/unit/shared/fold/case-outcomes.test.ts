// 结果标记 in the case fold: the latest mark holds the set, each flag keeps the time it entered
// the set, the timeline lists the marks, and the facts carry the local date each flag counts on.
import { describe, expect, test } from 'vitest';
import { parseEvent } from '#shared/events';
import { caseTimeline, foldCase } from '#shared/fold/index';
import { caseFactsOf } from '#shared/stats/facts';
import { closed, makeEvent, opened, reordered } from '../support/builders.ts';

const mark = (at: string, flags: string[]) => makeEvent('case.outcomes', at, { flags } as never);

describe('case.outcomes', () => {
  test('the latest mark holds the set; a flag kept keeps the time it was first set', () => {
    const events = [
      opened('2024-03-01T09:00:00+08:00'),
      closed('2024-03-10T09:00:00+08:00', 'success'),
      mark('2024-03-10T09:00:00+08:00', ['prevented_criminal', 'prevented_suicide']),
      mark('2024-08-01T09:00:00+08:00', ['prevented_criminal', 'agreement_overturned']),
    ];
    const s = foldCase(events)!;
    expect(s.outcomes).toEqual([
      { code: 'agreement_overturned', since: '2024-08-01T09:00:00+08:00' },
      { code: 'prevented_criminal', since: '2024-03-10T09:00:00+08:00' },
    ]);
    expect(caseTimeline(s).filter((t) => t.kind === 'outcomes')).toHaveLength(2);
    for (const order of reordered(events)) expect(foldCase([...order, ...order])).toEqual(s);
  });

  test('an empty mark clears the set; a case never marked has no outcomes field', () => {
    expect(
      foldCase([opened('2024-03-01T09:00:00+08:00'), mark('2024-03-02T09:00:00+08:00', ['mass_petition']), mark('2024-03-03T09:00:00+08:00', [])])!.outcomes,
    ).toEqual([]);
    const plain = foldCase([opened('2024-03-01T09:00:00+08:00')])!;
    expect(plain.outcomes).toBeUndefined();
    expect(caseFactsOf(plain, 'Asia/Shanghai').outcomes).toBeUndefined();
  });

  test('facts date each flag in local time', () => {
    const s = foldCase([opened('2024-03-01T09:00:00+08:00'), mark('2024-03-31T16:30:00Z', ['payment_order'])])!;
    expect(caseFactsOf(s, 'Asia/Shanghai').outcomes).toEqual([{ code: 'payment_order', on: '2024-04-01' }]);
    expect(caseFactsOf(s, 'UTC').outcomes).toEqual([{ code: 'payment_order', on: '2024-03-31' }]);
  });

  test('an unknown flag is refused with a Chinese message', () => {
    const r = parseEvent({ ...mark('2024-03-02T09:00:00+08:00', []), data: { flags: ['nonsense'] } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('结果标记不对');
  });
});
