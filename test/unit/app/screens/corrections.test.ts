// How a 更正 reads in the case's timeline: a party's changed details are named (a new phone number
// must not read 赵德明 → 赵德明), an ID number only as 补充/更改, parties added or removed by name.
import { expect, test } from 'vitest';
import { correctionLines } from '../../../../src/app/screens/CaseDetail/corrections.ts';

const correction = (before: unknown, after: unknown) => ({ eventId: 'e', at: '2024-05-01T10:00:00+08:00', changes: [{ field: 'parties', before, after }] });

test('a party’s changed details, each by its label; an ID number only as supplied', () => {
  const before = [
    { role: 'applicant', name: '赵德明', phone: '13812345678' },
    { role: 'respondent', name: '张小军' },
  ];
  const after = [
    { role: 'applicant', name: '赵德明', phone: '13987654321' },
    { role: 'respondent', name: '张小军', idNumber: '500235199001011234', address: '向阳村三组' },
  ];
  expect(correctionLines(correction(before, after) as never)).toEqual([
    '当事人 赵德明：电话 13812345678 → 13987654321',
    '当事人 张小军：住址 （空） → 向阳村三组，补充身份证号',
  ]);
});

test('parties added, removed or renamed; unchanged ones say nothing', () => {
  const one = { role: 'applicant', name: '赵德明' };
  expect(correctionLines(correction([one], [one, { role: 'respondent', name: '李四' }]) as never)).toEqual(['当事人：增加 李四']);
  expect(correctionLines(correction([one, { role: 'respondent', name: '李四' }], [one]) as never)).toEqual(['当事人：删除 李四']);
  expect(correctionLines(correction([one], [{ ...one, name: '赵德民' }]) as never)).toEqual(['当事人 赵德民：姓名 赵德明 → 赵德民']);
});

test('other fields keep their one line', () => {
  expect(correctionLines({ eventId: 'e', at: '', changes: [{ field: 'acceptedOn', before: '2024-03-01', after: '2024-02-28' }] } as never)).toEqual([
    '受理日期：2024-03-01 → 2024-02-28',
  ]);
});
