// 重大矛盾纠纷 and 典型案例 on the case fold (#shared/major/fold): the latest flag decides, the alert
// is the flagging that raised it (a later update keeps it, an unflag and a new flag raise a new
// one), the status chain, and that none of it depends on the order the events arrived in.
import { describe, expect, test } from 'vitest';
import { foldCase } from '#shared/fold/index';
import { currentStage, isMajorCase, isTypicalCase, majorStages } from '#shared/major/fold';
import { closed, makeEvent, opened, reordered, uuid } from '../support/builders.ts';

const flag = (at: string, data: Partial<{ flagged: boolean; measures: string; transferredTo: string }> = {}) =>
  makeEvent('case.major', at, { flagged: true, criteria: ['many_people', 'violence_risk'], ...data });

describe('重大矛盾纠纷 on a case', () => {
  test('a case flagged at registration is major; the alert is the first flagging, updates keep it', () => {
    const open = opened('2024-05-01T09:00:00+08:00');
    const raised = flag('2024-05-01T09:00:00+08:00');
    const more = flag('2024-05-02T09:00:00+08:00', { measures: '已安排民警到场' });
    for (const events of [[open, raised, more], ...reordered([open, raised, more])]) {
      const s = foldCase(events)!;
      expect(isMajorCase(s)).toBe(true);
      expect(s.major).toMatchObject({ flagged: true, raisedEventId: raised.id, raisedAt: raised.occurredAt, measures: '已安排民警到场', eventId: more.id });
    }
  });

  test('unflagged it is not major; flagged again it raises a new alert', () => {
    const open = opened('2024-05-01T09:00:00+08:00');
    const first = flag('2024-05-01T10:00:00+08:00');
    const off = flag('2024-05-03T10:00:00+08:00', { flagged: false });
    const again = flag('2024-05-04T10:00:00+08:00');
    expect(isMajorCase(foldCase([open, first, off])!)).toBe(false);
    expect(foldCase([open, first, off])!.major?.raisedEventId).toBeUndefined();
    expect(foldCase([again, off, first, open])!.major?.raisedEventId).toBe(again.id);
  });

  test('a voided case is not counted as major', () => {
    const s = foldCase([
      opened('2024-05-01T09:00:00+08:00'),
      flag('2024-05-01T10:00:00+08:00'),
      makeEvent('case.voided', '2024-05-02T09:00:00+08:00', { reason: '重复' }),
    ])!;
    expect(isMajorCase(s)).toBe(false);
  });

  test('flagging needs at least one criterion', () => {
    expect(() => makeEvent('case.major', '2024-05-01T09:00:00+08:00', { flagged: true, criteria: [] })).toThrow(/认定情形/);
  });

  test('the chain goes 排查 → 预警 → 调处 → 化解, or ends in 移交', () => {
    const open = opened('2024-05-01T09:00:00+08:00');
    const raised = flag('2024-05-01T10:00:00+08:00');
    const session = makeEvent('case.session', '2024-05-02T10:00:00+08:00', { content: '到场调处' });
    const s1 = foldCase([open, raised])!;
    expect(majorStages(s1).map((x) => [x.stage, x.done])).toEqual([
      ['screening', true],
      ['warning', true],
      ['handling', false],
      ['resolved', false],
    ]);
    expect(currentStage(s1)).toBe('warning');
    expect(currentStage(foldCase([open, raised, session])!)).toBe('handling');
    const s3 = foldCase([open, raised, session, closed('2024-05-05T10:00:00+08:00', 'success')])!;
    expect(currentStage(s3)).toBe('resolved');
    expect(majorStages(s3)[3]?.at).toBe('2024-05-05T10:00:00+08:00');
    const moved = foldCase([open, raised, session, flag('2024-05-03T10:00:00+08:00', { transferredTo: '县信访局' })])!;
    expect(currentStage(moved)).toBe('transferred');
  });
});

describe('典型案例 on a case', () => {
  test('the latest marking decides, with its title and story', () => {
    const open = opened('2024-05-01T09:00:00+08:00');
    const mark = makeEvent('case.typical', '2024-06-01T10:00:00+08:00', { typical: true, title: '排水沟纠纷', story: '张某（化名）……' });
    const unmark = makeEvent('case.typical', '2024-06-02T10:00:00+08:00', { typical: false });
    expect(foldCase([mark, open])!.typical).toMatchObject({ typical: true, title: '排水沟纠纷' });
    expect(isTypicalCase(foldCase([open, mark])!)).toBe(true);
    expect(isTypicalCase(foldCase([unmark, open, mark])!)).toBe(false);
    expect(foldCase([open])!.subjectId).toBe(uuid(1));
  });

  test('a typical case needs a title', () => {
    expect(() => makeEvent('case.typical', '2024-06-01T10:00:00+08:00', { typical: true })).toThrow(/标题/);
  });
});
