// How a 更正 reads in the timeline: each changed field by its label, old → new, values as a
// person reads them (codes as their labels, units by name). Parties are told apart by name, and a
// party whose details changed says which ones: a new phone number must not read 赵德明 → 赵德明.
import { CASE_SOURCES, PARTY_ROLES, REFERRERS, SEXES, labelOf } from '#shared/codes';
import type { Correction } from '#shared/fold/index';
import { orgUnitLabel } from '../../session/index.ts';
import { disputeTypeLabel } from '../../format.ts';

const CASE_FIELD_LABELS: Readonly<Record<string, string>> = {
  disputeType: '纠纷类型',
  disputeSubtype: '纠纷子类',
  source: '案件来源',
  referrer: '移送单位',
  stationId: '派驻调解室',
  committeeId: '调解委员会',
  summary: '纠纷简要情况',
  claims: '申请事项',
  parties: '当事人',
  peopleInvolved: '涉及人数',
  amountInvolved: '涉及金额（元）',
  mediators: '调解员',
  occurredPlace: '发生地点',
  occurredOn: '纠纷发生日期',
  acceptedOn: '受理日期',
  orgUnitId: '村（社区）/网格',
};

const MAX_SHOWN = 40;

function shown(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '（空）';
  switch (field) {
    case 'disputeType':
    case 'disputeSubtype':
      return disputeTypeLabel(String(value));
    case 'source':
      return labelOf(CASE_SOURCES, String(value));
    case 'referrer':
      return labelOf(REFERRERS, String(value));
    case 'orgUnitId':
    case 'stationId':
    case 'committeeId':
      return orgUnitLabel(String(value));
    default: {
      const text = Array.isArray(value) ? value.join('、') : String(value);
      return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
    }
  }
}

type PartyShape = Readonly<Record<string, unknown>>;

const PARTY_DETAILS: readonly (readonly [key: string, label: string, show: (v: unknown) => string])[] = [
  ['role', '身份', (v) => labelOf(PARTY_ROLES, String(v))],
  ['sex', '性别', (v) => labelOf(SEXES, String(v))],
  ['age', '年龄', String],
  ['phone', '电话', String],
  ['address', '住址', (v) => shown('address', v)],
];

const blank = (v: unknown): boolean => v === undefined || v === null || v === '';

const asParties = (value: unknown): PartyShape[] => (Array.isArray(value) ? (value as PartyShape[]) : []);

/** What changed among the parties: one added or removed by name, or a party's details. */
function partyLines(before: unknown, after: unknown): string[] {
  const was = asParties(before);
  const now = asParties(after);
  const lines: string[] = [];
  for (let i = 0; i < Math.max(was.length, now.length); i++) {
    const b = was[i];
    const a = now[i];
    if (!b) lines.push(`当事人：增加 ${String(a?.name ?? '')}`);
    else if (!a) lines.push(`当事人：删除 ${String(b.name ?? '')}`);
    else {
      const parts = b.name !== a.name ? [`姓名 ${String(b.name ?? '')} → ${String(a.name ?? '')}`] : [];
      for (const [key, label, show] of PARTY_DETAILS) {
        const x = b[key];
        const y = a[key];
        if (x !== y && !(blank(x) && blank(y))) parts.push(`${label} ${blank(x) ? '（空）' : show(x)} → ${blank(y) ? '（空）' : show(y)}`);
      }
      // The number itself stays on the case's card: the history says only what happened to it.
      if (b.idNumber !== a.idNumber && !(blank(b.idNumber) && blank(a.idNumber))) {
        parts.push(blank(a.idNumber) ? '身份证号 已删除' : blank(b.idNumber) ? '补充身份证号' : '身份证号 已更改');
      }
      if (parts.length) lines.push(`当事人 ${String(a.name ?? '')}：${parts.join('，')}`);
    }
  }
  return lines;
}

/** "受理日期：2024-03-01 → 2024-02-28" per changed field; the parties' changes each on their own line. */
export function correctionLines(correction: Correction | undefined): string[] {
  return (correction?.changes ?? []).flatMap((c) =>
    c.field === 'parties'
      ? partyLines(c.before, c.after)
      : [`${CASE_FIELD_LABELS[c.field] ?? c.field}：${shown(c.field, c.before)} → ${shown(c.field, c.after)}`],
  );
}
