// Due work: the dates 首页 and the case list show for 回访 and 履行期限.
import { describe, expect, test } from 'vitest';
import { dueItems, dueSoon, dueText, followupDueDate, performanceDueDate } from '#shared/fold/due';
import { foldCase } from '#shared/fold/index';
import { closed, makeEvent, opened, uuid } from '../support/builders.ts';

const caseOf = (n: number, ...rest: Parameters<typeof makeEvent>[]) =>
  foldCase([opened('2024-03-01T09:00:00+08:00', { subjectId: uuid(n) }), ...rest.map((r) => makeEvent(...r))])!;
const closedOn = (n: number, at: string, deadline?: string) =>
  foldCase([
    opened('2024-03-01T09:00:00+08:00', { subjectId: uuid(n) }),
    closed(at, 'success', { subjectId: uuid(n) }, deadline ? { performanceDeadline: deadline } : {}),
  ])!;

describe('due work', () => {
  test('a 回访 falls due a week after the closing, or the day after an earlier deadline', () => {
    expect(followupDueDate(closedOn(10, '2024-03-10T23:30:00+08:00'))).toBe('2024-03-17');
    expect(followupDueDate(closedOn(11, '2024-03-10T10:00:00+08:00', '2024-03-12'))).toBe('2024-03-13');
    expect(followupDueDate(closedOn(12, '2024-03-10T10:00:00+08:00', '2024-04-30'))).toBe('2024-03-17');
  });

  test('nothing is due for an open, failed or followed-up case', () => {
    expect(followupDueDate(caseOf(13))).toBeUndefined();
    const failed = foldCase([opened('2024-03-01T09:00:00+08:00'), closed('2024-03-05T09:00:00+08:00', 'failure')])!;
    expect(followupDueDate(failed)).toBeUndefined();
    const s = closedOn(14, '2024-03-10T10:00:00+08:00', '2024-03-31');
    const visited = foldCase([...rebuild(s), makeEvent('case.followup', '2024-03-12T10:00:00+08:00', { mode: 'visit' }, { subjectId: uuid(14) })])!;
    expect(followupDueDate(visited)).toBeUndefined();
  });

  test('履行期限 is due until full performance is recorded after the closing', () => {
    const s = closedOn(15, '2024-03-10T10:00:00+08:00', '2024-03-31');
    expect(performanceDueDate(s)).toBe('2024-03-31');
    const partly = foldCase([...rebuild(s), makeEvent('case.performed', '2024-03-20T10:00:00+08:00', { status: 'partial' }, { subjectId: uuid(15) })])!;
    expect(performanceDueDate(partly)).toBe('2024-03-31');
    const done = foldCase([...rebuild(s), makeEvent('case.performed', '2024-03-25T10:00:00+08:00', { status: 'full' }, { subjectId: uuid(15) })])!;
    expect(performanceDueDate(done)).toBeUndefined();
    expect(performanceDueDate(closedOn(16, '2024-03-10T10:00:00+08:00'))).toBeUndefined();
  });

  test('items come earliest first; 首页 takes what is due within the week; the text says how far', () => {
    const a = closedOn(17, '2024-03-10T10:00:00+08:00', '2024-03-12');
    const b = closedOn(18, '2024-03-01T10:00:00+08:00');
    const items = dueItems([a, b]);
    expect(items.map((i) => [i.kind, i.date, i.state.subjectId])).toEqual([
      ['followup', '2024-03-08', uuid(18)],
      ['performance', '2024-03-12', uuid(17)],
      ['followup', '2024-03-13', uuid(17)],
    ]);
    expect(dueSoon(items, '2024-03-01').map((i) => i.date)).toEqual(['2024-03-08']);
    expect(dueText('2024-03-08', '2024-03-10')).toBe('已过期 2 天');
    expect(dueText('2024-03-10', '2024-03-10')).toBe('今天到期');
    expect(dueText('2024-03-13', '2024-03-10')).toBe('3 天后到期');
  });
});

/** The events a folded state came from, rebuilt for adding one more (the builders are deterministic). */
function rebuild(s: NonNullable<ReturnType<typeof foldCase>>) {
  const c = s.closure!;
  return [
    opened(s.openedAt!, { subjectId: s.subjectId }),
    closed(c.occurredAt, 'success', { subjectId: s.subjectId }, c.performanceDeadline ? { performanceDeadline: c.performanceDeadline } : {}),
  ];
}
