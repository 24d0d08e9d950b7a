import { describe, expect, test } from 'vitest';
import { caseTimeline, foldCase, isFollowupDue, isOverdue } from '#shared/fold/index';
import { closed, makeEvent, opened, reopened, reordered, updated, uuid, voided } from '../support/builders.ts';

describe('foldCase', () => {
  test('keeps each signer’s latest signature and lists the signing in the timeline', () => {
    const img = (n: number) => ({ sha256: String(n).repeat(64), mime: 'image/png' as const, size: 2000 });
    const open = opened('2024-03-01T09:00:00+08:00');
    const first = makeEvent('case.signed', '2024-03-06T10:00:00+08:00', {
      signatures: [
        { role: 'party', name: '张某', image: img(1) },
        { role: 'mediator', name: '王调解', image: img(2) },
      ],
    });
    const again = makeEvent('case.signed', '2024-03-06T10:05:00+08:00', { signatures: [{ role: 'party', name: '张某', image: img(3) }] });
    const s = foldCase([again, open, first])!;
    expect(s.signatures).toEqual([
      { role: 'party', name: '张某', image: img(3) },
      { role: 'mediator', name: '王调解', image: img(2) },
    ]);
    expect(caseTimeline(s).map((i) => i.kind)).toEqual(['opened', 'signed', 'signed']);
  });

  test('is undefined without case events', () => {
    expect(foldCase([])).toBeUndefined();
    expect(foldCase([makeEvent('sweep.recorded', '2024-05-01T10:00:00+08:00', { households: 3, disputesFound: 0 })])).toBeUndefined();
  });

  test('an opened case is open, from its opening unit and time', () => {
    const s = foldCase([opened('2024-03-01T09:00:00+08:00', { orgUnitId: 'village-2' })]);
    expect(s).toMatchObject({
      kind: 'case',
      subjectId: uuid(1),
      orgUnitId: 'village-2',
      status: 'open',
      hasOpened: true,
      openedAt: '2024-03-01T09:00:00+08:00',
      reopened: false,
      conflicts: [],
      eventCount: 1,
    });
    expect(s?.opened?.disputeType).toBe('03-homestead');
    expect(s?.closure).toBeUndefined();
  });

  test('a closure that arrives before its opening still gives a valid closed case', () => {
    const close = closed('2024-03-05T09:00:00+08:00', 'success', { orgUnitId: 'grid-9' });
    const onlyClosure = foldCase([close]);
    expect(onlyClosure).toMatchObject({ status: 'closed', hasOpened: false, orgUnitId: 'grid-9', closure: { result: 'success', eventId: close.id } });
    expect(onlyClosure?.opened).toBeUndefined();
    expect(onlyClosure?.openedAt).toBeUndefined();

    const open = opened('2024-03-01T09:00:00+08:00', { orgUnitId: 'village-2' });
    const both = foldCase([close, open]);
    expect(both).toMatchObject({ status: 'closed', hasOpened: true, orgUnitId: 'village-2', openedAt: open.occurredAt });
    expect(foldCase([open, close])).toEqual(both);
  });

  test('duplicated and reordered events give the same state', () => {
    const events = [
      opened('2024-03-01T09:00:00+08:00'),
      makeEvent('case.session', '2024-03-02T10:00:00+08:00', { content: '第一次调解' }),
      makeEvent('case.session', '2024-03-03T10:00:00+08:00', { content: '第二次调解' }),
      closed('2024-03-04T09:00:00+08:00', 'success'),
      makeEvent('case.performed', '2024-03-10T09:00:00+08:00', { status: 'full' }),
    ];
    const once = foldCase(events);
    expect(once?.sessions.map((x) => x.content)).toEqual(['第一次调解', '第二次调解']);
    expect(once?.eventCount).toBe(5);
    expect(foldCase([...events, ...events])).toEqual(once);
    for (const order of reordered(events)) expect(foldCase(order)).toEqual(once);
  });

  test('failure, reopening, then success: the latest closure decides, and it is a success', () => {
    const events = [
      opened('2024-11-01T09:00:00+08:00'),
      closed('2024-11-20T09:00:00+08:00', 'failure'),
      reopened('2024-12-01T09:00:00+08:00'),
      closed('2025-01-03T09:00:00+08:00', 'success'),
    ];
    const s = foldCase([...events].reverse());
    expect(s).toMatchObject({ status: 'closed', reopened: false, closure: { result: 'success', occurredAt: '2025-01-03T09:00:00+08:00' } });
    expect(s?.closures.map((c) => c.result)).toEqual(['failure', 'success']);
  });

  test('a reopened case is open again, its last closure kept and marked as reopened', () => {
    const s = foldCase([opened('2024-01-01T09:00:00+08:00'), closed('2024-01-10T09:00:00+08:00', 'success'), reopened('2024-02-01T09:00:00+08:00')]);
    expect(s).toMatchObject({ status: 'open', reopened: true, closure: { result: 'success' } });
  });

  test('the same-instant close and reopen are ordered by id, not by arrival', () => {
    const at = '2024-01-10T09:00:00+08:00';
    const close = closed(at, 'success', { id: uuid(20) });
    const reopen = reopened('2024-01-10T01:00:00Z', { id: uuid(21) }); // the same instant, another offset
    expect(foldCase([reopen, close])?.status).toBe('open');
    expect(foldCase([close, reopen])?.status).toBe('open');
  });

  test('voided wins over any other status', () => {
    const s = foldCase([opened('2024-01-01T09:00:00+08:00'), closed('2024-01-10T09:00:00+08:00', 'success'), voided('2024-01-05T09:00:00+08:00')]);
    expect(s).toMatchObject({ status: 'voided', voided: { reason: '重复登记', occurredAt: '2024-01-05T09:00:00+08:00' } });
  });

  test('updates apply in occurredAt order, not arrival order', () => {
    const open = opened('2024-01-01T09:00:00+08:00', {}, { peopleInvolved: 2 });
    const later = updated('2024-01-03T09:00:00+08:00', { peopleInvolved: 5, summary: '后改' });
    const earlier = updated('2024-01-02T09:00:00+08:00', { peopleInvolved: 3, amountInvolved: 1000 });
    for (const order of [
      [open, later, earlier],
      [earlier, later, open],
      [later, open, earlier],
    ]) {
      const s = foldCase(order);
      expect(s?.opened).toMatchObject({ peopleInvolved: 5, amountInvolved: 1000, summary: '后改', disputeType: '03-homestead' });
    }
  });

  test('ignores other subjects', () => {
    const mine = opened('2024-01-01T09:00:00+08:00', { subjectId: uuid(1) });
    const other = closed('2023-01-01T09:00:00+08:00', 'success', { subjectId: uuid(2) });
    const s = foldCase([mine, other], uuid(1));
    expect(s).toMatchObject({ subjectId: uuid(1), status: 'open', eventCount: 1 });
  });

  test('keeps the earliest case.numbered', () => {
    const n1 = makeEvent(
      'case.numbered',
      '2024-01-01T10:00:00+08:00',
      { caseNumber: '（2024）江口人调字第001号', year: 2024, committeeId: 'cmt-1', sequence: 1 },
      { deviceId: 'server' },
    );
    const n2 = makeEvent(
      'case.numbered',
      '2024-01-02T10:00:00+08:00',
      { caseNumber: '（2024）江口人调字第002号', year: 2024, committeeId: 'cmt-1', sequence: 2 },
      { deviceId: 'server' },
    );
    expect(foldCase([n2, opened('2024-01-01T09:00:00+08:00'), n1])?.caseNumber).toBe('（2024）江口人调字第001号');
  });
});

describe('concurrent edits', () => {
  const open = opened('2024-01-01T09:00:00+08:00', { id: uuid(10), deviceId: 'a', deviceSeq: 1 });

  test('two devices changing the same field without knowing each other are flagged, winner by time', () => {
    const a = updated('2024-01-02T09:00:00+08:00', { summary: 'A 改' }, { id: uuid(11), deviceId: 'a', deviceSeq: 2, basedOn: [open.id] });
    const b = updated('2024-01-02T10:00:00+08:00', { summary: 'B 改' }, { id: uuid(12), deviceId: 'b', deviceSeq: 1, basedOn: [open.id] });
    const s = foldCase([b, open, a]);
    expect(s?.conflicts).toEqual([a.id, b.id]);
    expect(s?.opened?.summary).toBe('B 改');
    expect(
      caseTimeline(s!)
        .filter((x) => x.conflict)
        .map((x) => x.eventId),
    ).toEqual([a.id, b.id]);
  });

  test('different fields are not a conflict', () => {
    const a = updated('2024-01-02T09:00:00+08:00', { summary: 'A 改' }, { deviceId: 'a', deviceSeq: 2, basedOn: [open.id] });
    const b = updated('2024-01-02T10:00:00+08:00', { peopleInvolved: 4 }, { deviceId: 'b', deviceSeq: 1, basedOn: [open.id] });
    expect(foldCase([open, a, b])?.conflicts).toEqual([]);
  });

  test('a basedOn chain means the later edit knew the earlier one: not flagged', () => {
    const a = updated('2024-01-02T09:00:00+08:00', { summary: 'A 改' }, { id: uuid(11), deviceId: 'a', deviceSeq: 2, basedOn: [open.id] });
    const session = makeEvent('case.session', '2024-01-03T09:00:00+08:00', { content: '调解' }, { id: uuid(13), deviceId: 'c', deviceSeq: 1, basedOn: [a.id] });
    const b = updated('2024-01-04T10:00:00+08:00', { summary: 'B 改' }, { id: uuid(12), deviceId: 'b', deviceSeq: 1, basedOn: [session.id] });
    expect(foldCase([b, session, a, open])?.conflicts).toEqual([]);
  });

  test("a device knows its own earlier events even when basedOn names only another's", () => {
    const a = updated('2024-01-02T09:00:00+08:00', { summary: 'A 改' }, { id: uuid(11), deviceId: 'a', deviceSeq: 2, basedOn: [open.id] });
    const bSeen = makeEvent('case.session', '2024-01-03T09:00:00+08:00', { content: '调解' }, { id: uuid(13), deviceId: 'b', deviceSeq: 1, basedOn: [a.id] });
    const bEdit = updated('2024-01-04T09:00:00+08:00', { summary: 'B 改' }, { id: uuid(12), deviceId: 'b', deviceSeq: 2, basedOn: [open.id] });
    expect(foldCase([open, a, bSeen, bEdit])?.conflicts).toEqual([]);
  });

  test('concurrent close and reopen from two devices are flagged', () => {
    const close = closed('2024-01-05T09:00:00+08:00', 'success', { id: uuid(14), deviceId: 'a', deviceSeq: 2, basedOn: [open.id] });
    const reopen = reopened('2024-01-06T09:00:00+08:00', { id: uuid(15), deviceId: 'b', deviceSeq: 1, basedOn: [open.id] });
    const s = foldCase([open, close, reopen]);
    expect(s?.conflicts).toEqual([close.id, reopen.id]);
    expect(s?.status).toBe('open');
  });

  test('the same device editing twice is never a conflict', () => {
    const a1 = updated('2024-01-02T09:00:00+08:00', { summary: '一' }, { deviceId: 'a', deviceSeq: 2 });
    const a2 = updated('2024-01-03T09:00:00+08:00', { summary: '二' }, { deviceId: 'a', deviceSeq: 3 });
    expect(foldCase([open, a1, a2])?.conflicts).toEqual([]);
  });
});

describe('follow-up and overdue', () => {
  const open = opened('2024-03-01T09:00:00+08:00');

  test('due a week after a successful closure with an agreement, until someone follows up', () => {
    const close = closed('2024-03-10T09:00:00+08:00', 'success');
    const s = foldCase([open, close])!;
    expect(isFollowupDue(s, '2024-03-16T09:00:00+08:00')).toBe(false);
    expect(isFollowupDue(s, '2024-03-17T09:00:00+08:00')).toBe(true);
    const followed = foldCase([open, close, makeEvent('case.followup', '2024-03-18T09:00:00+08:00', { mode: 'phone' })])!;
    expect(isFollowupDue(followed, '2024-03-20T09:00:00+08:00')).toBe(false);
  });

  test('due as soon as the performance deadline has passed', () => {
    const s = foldCase([open, closed('2024-03-10T09:00:00+08:00', 'success', {}, { performanceDeadline: '2024-03-12' })])!;
    expect(isFollowupDue(s, '2024-03-12T23:00:00+08:00')).toBe(false);
    expect(isFollowupDue(s, '2024-03-13T00:30:00+08:00')).toBe(true);
  });

  test('not due without an agreement, after a failure, or once voided', () => {
    const now = '2024-06-01T09:00:00+08:00';
    expect(isFollowupDue(foldCase([open, closed('2024-03-10T09:00:00+08:00', 'success', {}, { agreementForm: 'none' })])!, now)).toBe(false);
    expect(isFollowupDue(foldCase([open, closed('2024-03-10T09:00:00+08:00', 'failure')])!, now)).toBe(false);
    expect(isFollowupDue(foldCase([open, closed('2024-03-10T09:00:00+08:00', 'success'), voided('2024-03-11T09:00:00+08:00')])!, now)).toBe(false);
  });

  test('a followup before the latest closure does not count for it', () => {
    const s = foldCase([
      open,
      closed('2024-03-10T09:00:00+08:00', 'success'),
      makeEvent('case.followup', '2024-03-12T09:00:00+08:00', { mode: 'visit' }),
      reopened('2024-03-15T09:00:00+08:00'),
      closed('2024-04-01T09:00:00+08:00', 'success'),
    ])!;
    expect(isFollowupDue(s, '2024-04-09T09:00:00+08:00')).toBe(true);
  });

  test('overdue when open more than 30 days', () => {
    const s = foldCase([open])!;
    expect(isOverdue(s, '2024-03-31T09:00:00+08:00')).toBe(false);
    expect(isOverdue(s, '2024-04-01T09:00:00+08:00')).toBe(true);
    expect(isOverdue(foldCase([open, closed('2024-03-05T09:00:00+08:00', 'failure')])!, '2024-06-01T00:00:00+08:00')).toBe(false);
  });
});

describe('caseTimeline', () => {
  test('lists every fact oldest first', () => {
    const open = opened('2024-03-01T09:00:00+08:00');
    const s = foldCase([
      closed('2024-03-04T09:00:00+08:00', 'success'),
      makeEvent('case.session', '2024-03-02T10:00:00+08:00', { content: '调解' }),
      open,
      updated('2024-03-01T12:00:00+08:00', { peopleInvolved: 3 }),
    ])!;
    expect(caseTimeline(s).map((x) => x.kind)).toEqual(['opened', 'updated', 'session', 'closed']);
    expect(caseTimeline(s)[0]?.eventId).toBe(open.id);
  });
});

describe('the case’s two dates and corrections', () => {
  test('受理日期 is the registration’s acceptedOn, else the date of an old registration’s occurredAt', () => {
    expect(foldCase([opened('2024-03-01T09:00:00+08:00')])?.acceptedOn).toBe('2024-03-01');
    const both = foldCase([opened('2024-03-05T09:00:00+08:00', {}, { occurredOn: '2024-02-20', acceptedOn: '2024-03-04' })]);
    expect(both).toMatchObject({ acceptedOn: '2024-03-04', opened: { occurredOn: '2024-02-20' } });
  });

  test('更正 of the date and the grid: the state moves, the correction says old → new', () => {
    const open = opened('2024-03-01T09:00:00+08:00', { orgUnitId: 'grid-1' });
    const fix = updated('2024-03-02T09:00:00+08:00', { acceptedOn: '2024-02-28', orgUnitId: 'grid-2', summary: '宅基地及排水沟' }, { orgUnitId: 'grid-1' });
    for (const events of [
      [open, fix],
      [fix, open],
    ]) {
      const s = foldCase(events);
      // The home stays (every event of the case carries it); the case belongs to the new grid.
      expect(s).toMatchObject({ orgUnitId: 'grid-1', unitId: 'grid-2', acceptedOn: '2024-02-28', opened: { summary: '宅基地及排水沟' } });
      expect((s?.opened as Record<string, unknown>).orgUnitId).toBeUndefined();
      expect(s?.corrections).toEqual([
        {
          eventId: fix.id,
          changes: [
            { field: 'acceptedOn', before: '2024-03-01', after: '2024-02-28' },
            { field: 'orgUnitId', before: 'grid-1', after: 'grid-2' },
            { field: 'summary', before: '宅基地边界纠纷', after: '宅基地及排水沟' },
          ],
        },
      ]);
    }
  });

  test('overdue counts from a corrected 受理日期', () => {
    const open = opened('2024-03-01T09:00:00+08:00');
    expect(isOverdue(foldCase([open])!, '2024-03-20T09:00:00+08:00')).toBe(false);
    expect(isOverdue(foldCase([open, updated('2024-03-02T09:00:00+08:00', { acceptedOn: '2024-02-10' })])!, '2024-03-20T09:00:00+08:00')).toBe(true);
  });
});
