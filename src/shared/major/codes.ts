// The code tables of 重大矛盾纠纷 (major disputes), 典型案例 and 以案定补 grades: stable codes on the
// wire, the Chinese labels every screen, print view and export shows for them.
import { DISPUTE_TYPES, rollUpDisputeType, type Code } from '../codes.ts';

/** Why a dispute is 重大: the criteria the phone shows when a case is flagged (choose one or more). */
export const MAJOR_CRITERIA = [
  { code: 'many_people', label: '人数多（5户或10人以上）' },
  { code: 'violence_risk', label: '有激化、暴力风险' },
  { code: 'petition_risk', label: '可能引发上访或群体性事件' },
  { code: 'large_amount', label: '涉及金额大' },
  { code: 'sensitive', label: '涉及征地拆迁、农民工工资等敏感问题' },
] as const satisfies readonly Code[];
export type MajorCriterion = (typeof MAJOR_CRITERIA)[number]['code'];

/** The status chain of 综治 systems: 排查 → 预警 → 调处 → 化解, or 移交 to another body. */
export const MAJOR_STAGES = [
  { code: 'screening', label: '排查' },
  { code: 'warning', label: '预警' },
  { code: 'handling', label: '调处' },
  { code: 'resolved', label: '化解' },
  { code: 'transferred', label: '移交' },
] as const satisfies readonly Code[];
export type MajorStage = (typeof MAJOR_STAGES)[number]['code'];

/** The national category's label of a dispute type or sub-type ("邻里纠纷"), for print and export. */
export function disputeCategoryLabel(code: string): string {
  const top = rollUpDisputeType(code);
  return DISPUTE_TYPES.find((t) => t.code === top)?.label ?? code;
}
