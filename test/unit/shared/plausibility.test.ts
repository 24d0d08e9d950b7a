// The plausibility rules shared by the phone's forms and the server's push: each rule as a row,
// with the path the form marks and whether it refuses or asks for confirmation.
import { describe, expect, test } from 'vitest';
import { plausibilityOf, refusalsOf, type Checked, type Severity } from '#shared/plausibility';

const NOW = new Date('2024-06-15T04:00:00Z'); // 12:00 in 江口
const opened = { disputeType: '02', source: 'application', summary: '排水沟', parties: [{ role: 'applicant', name: '张某' }] };
const ev = (type: string, occurredAt: string, data: unknown = {}): Checked => ({ type, occurredAt, data });

describe('plausibilityOf', () => {
  const rows: [string, Checked, string | undefined, [string, Severity, string][]][] = [
    ['a case accepted today', ev('case.opened', '2024-06-15T10:00:00+08:00', opened), undefined, []],
    ['a case written tomorrow by a phone a few hours ahead (margin)', ev('case.opened', '2024-06-16T09:00:00+08:00', opened), undefined, []],
    ['a case accepted in 2099', ev('case.opened', '2099-06-15T10:00:00+08:00', opened), undefined, [['occurredAt', 'refuse', '受理日期晚于今天']]],
    [
      'a sweep three days ahead',
      ev('sweep.recorded', '2024-06-18T10:00:00+08:00', { households: 3, disputesFound: 0 }),
      undefined,
      [['occurredAt', 'refuse', '排查日期晚于今天']],
    ],
    [
      'a sweep dated 61 days back: asked (a stale date picker), not refused',
      ev('sweep.recorded', '2024-04-15T10:00:00+08:00', { households: 3, disputesFound: 0 }),
      undefined,
      [['occurredAt', 'confirm', '排查日期（2024-04-15）是 61 天前，请核对']],
    ],
    ['a sweep dated 60 days back', ev('sweep.recorded', '2024-04-16T10:00:00+08:00', { households: 3, disputesFound: 0 }), undefined, []],
    [
      'a record before 2000 (a phone reset to 1970)',
      ev('outreach.recorded', '1970-01-01T08:00:00+08:00', { title: '宣讲' }),
      undefined,
      [['occurredAt', 'refuse', '早于 2000 年']],
    ],
    [
      'an acceptance date after today',
      ev('case.opened', '2024-06-15T10:00:00+08:00', { ...opened, acceptedOn: '2024-07-01' }),
      undefined,
      [['data.acceptedOn', 'refuse', '受理日期晚于今天']],
    ],
    [
      'a dispute that arose after its acceptance',
      ev('case.opened', '2024-06-10T10:00:00+08:00', { ...opened, occurredOn: '2024-06-12' }),
      undefined,
      [['data.occurredOn', 'refuse', '不能晚于受理日期']],
    ],
    [
      'a dispute that arose before its acceptance',
      ev('case.opened', '2024-06-10T10:00:00+08:00', { ...opened, occurredOn: '2024-05-30', acceptedOn: '2024-06-10' }),
      undefined,
      [],
    ],
    [
      'a correction of the dispute date after the known acceptance',
      ev('case.updated', '2024-06-15T10:00:00+08:00', { changes: { occurredOn: '2024-06-14' } }),
      '2024-06-13',
      [['data.changes.occurredOn', 'refuse', '不能晚于受理日期']],
    ],
    [
      'a correction of the acceptance date into the future',
      ev('case.updated', '2024-06-15T10:00:00+08:00', { changes: { acceptedOn: '2024-09-01' } }),
      '2024-06-13',
      [['data.changes.acceptedOn', 'refuse', '受理日期晚于今天']],
    ],
    [
      'a 履行期限 before the closing',
      ev('case.closed', '2024-06-15T10:00:00+08:00', { result: 'success', agreementForm: 'written', performanceDeadline: '2024-06-14' }),
      undefined,
      [['data.performanceDeadline', 'refuse', '履行期限不能早于结案日期']],
    ],
    [
      'a failed mediation with a written agreement',
      ev('case.closed', '2024-06-15T10:00:00+08:00', { result: 'failure', agreementForm: 'written', terms: '双方同意' }),
      undefined,
      [['data.agreementForm', 'refuse', '调解不成功时没有调解协议，协议形式请选“无协议”']],
    ],
    [
      'an ended mediation with an oral agreement',
      ev('case.closed', '2024-06-15T10:00:00+08:00', { result: 'terminated', agreementForm: 'oral' }),
      undefined,
      [['data.agreementForm', 'refuse', '终止调解时没有调解协议，协议形式请选“无协议”']],
    ],
    ['a failed mediation without an agreement', ev('case.closed', '2024-06-15T10:00:00+08:00', { result: 'failure', agreementForm: 'none' }), undefined, []],
    [
      'a 履行期限 on the closing day',
      ev('case.closed', '2024-06-15T10:00:00+08:00', { result: 'success', agreementForm: 'written', performanceDeadline: '2024-06-15' }),
      undefined,
      [],
    ],
    [
      'a session before the acceptance (先调解后登记): asked',
      ev('case.session', '2024-06-01T10:00:00+08:00', { content: '调解' }),
      '2024-06-03',
      [['occurredAt', 'confirm', '早于受理日期']],
    ],
    [
      'a closure before the acceptance: asked',
      ev('case.closed', '2024-06-01T10:00:00+08:00', { result: 'success', agreementForm: 'oral' }),
      '2024-06-03',
      [['occurredAt', 'confirm', '早于受理日期']],
    ],
    [
      'a session before the acceptance when the acceptance is unknown (the server)',
      ev('case.session', '2024-06-01T10:00:00+08:00', { content: '调解' }),
      undefined,
      [],
    ],
    [
      'more disputes than households: asked',
      ev('sweep.recorded', '2024-06-15T10:00:00+08:00', { households: 2, disputesFound: 3 }),
      undefined,
      [['data.disputesFound', 'confirm', '多于走访户数']],
    ],
    [
      'an outreach event that ends before it starts',
      ev('outreach.recorded', '2024-06-15T10:00:00+08:00', { endsAt: '2024-06-15T09:00:00+08:00' }),
      undefined,
      [['data.endsAt', 'refuse', '结束时间不能早于开始时间']],
    ],
    [
      'a 院坝会 of 50,000 people (a slip of the thumb)',
      ev('outreach.recorded', '2024-06-15T10:00:00+08:00', { title: '院坝会', form: 'courtyard', audience: 50000 }),
      undefined,
      [['data.audience', 'confirm', '受众人次（50000）远多于一场院坝会的常见规模（通常不超过 500 人次）']],
    ],
    [
      'more questions answered and materials handed out than people reached',
      ev('outreach.recorded', '2024-06-15T10:00:00+08:00', { title: '宣讲', form: 'lecture', audience: 60, consultations: 900, materials: 5000 }),
      undefined,
      [
        ['data.consultations', 'confirm', '解答咨询（900 人次）多于受众人次（60）'],
        ['data.materials', 'confirm', '发放资料（5000 份）超过受众每人 10 份'],
      ],
    ],
    [
      'an ordinary lecture',
      ev('outreach.recorded', '2024-06-15T10:00:00+08:00', { title: '宣讲', form: 'lecture', audience: 300, consultations: 20, materials: 600 }),
      undefined,
      [],
    ],
    ['a post read online by 80,000', ev('outreach.recorded', '2024-06-15T10:00:00+08:00', { title: '线上', form: 'online', audience: 80000 }), undefined, []],
    ['an office ledger entry is not checked here', ev('ledger.recorded', '2099-01-01T10:00:00+08:00', {}), undefined, []],
  ];
  test.each(rows)('%s', (_name, event, acceptedOn, expected) => {
    const found = plausibilityOf(event, { now: NOW, acceptedOn });
    expect(found.map((f) => [f.path, f.severity])).toEqual(expected.map(([path, severity]) => [path, severity]));
    for (const [i, [, , text]] of expected.entries()) expect(found[i]!.message).toContain(text);
    expect(refusalsOf(event, { now: NOW, acceptedOn })).toEqual(found.filter((f) => f.severity === 'refuse'));
  });
});

describe('on the phone, the phone’s own today is the latest date', () => {
  const sweep = (day: string) => ev('sweep.recorded', `${day}T10:00:00+08:00`, { households: 3, disputesFound: 0 });
  test('a sweep dated tomorrow or the day after is refused at the field; today is taken', () => {
    for (const day of ['2024-06-16', '2024-06-17']) {
      expect(refusalsOf(sweep(day), { now: NOW, today: '2024-06-15' }).map((f) => f.message)).toEqual(['排查日期晚于今天，请核对（手机的日期是否正确）']);
    }
    expect(refusalsOf(sweep('2024-06-15'), { now: NOW, today: '2024-06-15' })).toEqual([]);
  });
  test('the dates inside a registration follow it too', () => {
    const late = ev('case.opened', '2024-06-15T10:00:00+08:00', { ...opened, acceptedOn: '2024-06-16', occurredOn: '2024-06-16' });
    expect(refusalsOf(late, { now: NOW, today: '2024-06-15' }).map((f) => f.path)).toEqual(['data.acceptedOn', 'data.occurredOn']);
  });
  test('the server, which does not know the phone’s day, keeps its margin', () => {
    expect(refusalsOf(sweep('2024-06-16'), { now: NOW })).toEqual([]);
  });
});
