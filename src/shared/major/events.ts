// The event data of 重大矛盾纠纷 and 典型案例 (registered in events.ts EVENT_DATA): validators and
// types, Chinese messages at the field.
import * as v from 'valibot';
import { codesOf } from '../codes.ts';
import { SUBSIDY_GRADES } from '../subsidy/grades.ts';
import { MAJOR_CRITERIA } from './codes.ts';

const text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, `不超过 ${max} 字`));

/**
 * case.major: the case is flagged 重大 (or no longer, flagged false), with the criteria met and
 * what the flash report states: the risk, the measures taken, who leads and which unit answers.
 * The latest one decides; a later one with more measures updates the report.
 */
export const CaseMajor = v.pipe(
  v.object({
    flagged: v.boolean(),
    criteria: v.pipe(v.array(v.picklist(codesOf(MAJOR_CRITERIA), '重大纠纷认定情形不对')), v.maxLength(10)),
    risk: v.optional(text(2000)),
    measures: v.optional(text(4000)),
    leader: v.optional(text(40)),
    responsibleUnit: v.optional(text(100)),
    /** Handed over to another body (公安, 信访, 法院…): the chain ends in 移交. */
    transferredTo: v.optional(text(100)),
    note: v.optional(text(1000)),
  }),
  v.forward(
    v.check((d) => !d.flagged || d.criteria.length > 0, '请至少选择一项重大纠纷认定情形'),
    ['criteria'],
  ),
);

/** case.typical: marked 典型案例 (or unmarked), with the short case story written for the year's collection. */
export const CaseTypical = v.pipe(
  v.object({
    typical: v.boolean(),
    title: v.optional(text(100)),
    story: v.optional(text(6000)),
  }),
  v.forward(
    v.check((d) => !d.typical || (d.title ?? '') !== '', '请填写典型案例标题'),
    ['title'],
  ),
);

/** case.graded (office, written by the server) and case.grade_proposed (the mediator's proposal). */
export const CaseGraded = v.object({
  grade: v.picklist(codesOf(SUBSIDY_GRADES), '补助等级不对'),
  note: v.optional(text(500)),
});
