// How a 更正 reads in the timeline: each changed field by its label, old → new, values as a
// person reads them (codes as their labels, units by name, parties by name).
import { CASE_SOURCES, REFERRERS, labelOf } from '#shared/codes';
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
    case 'parties':
      return Array.isArray(value) ? value.map((p) => (p as { name?: string }).name ?? '').join('、') : '';
    default: {
      const text = Array.isArray(value) ? value.join('、') : String(value);
      return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
    }
  }
}

/** "受理日期：2024-03-01 → 2024-02-28" per changed field. */
export function correctionLines(correction: Correction | undefined): string[] {
  return (correction?.changes ?? []).map((c) => `${CASE_FIELD_LABELS[c.field] ?? c.field}：${shown(c.field, c.before)} → ${shown(c.field, c.after)}`);
}
