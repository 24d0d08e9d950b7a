// 重大矛盾纠纷 and 典型案例 on a case, folded from its events (foldCase calls these with the case's
// events sorted by (occurredAt, id)), and the status chain 排查 → 预警 → 调处 → 化解/移交 that the
// case screen, the office's alert and the 快报 show. `isMajorCase` is what returns count.
import type { DomainEvent } from '../events.ts';
import type { CaseState } from '../fold/case.ts';
import type { MajorCriterion, MajorStage } from './codes.ts';

export interface MajorState {
  /** The latest case.major says flagged. */
  flagged: boolean;
  criteria: MajorCriterion[];
  risk?: string;
  measures?: string;
  leader?: string;
  responsibleUnit?: string;
  transferredTo?: string;
  note?: string;
  /**
   * The event that raised the current flag (the first flagging after the last unflagging): the
   * office's alert is this event, acknowledged once. Undefined when not flagged.
   */
  raisedEventId?: string;
  /** occurredAt of that event: when the case was flagged, as its author stated it. */
  raisedAt?: string;
  /** The latest case.major. */
  eventId: string;
  occurredAt: string;
}

export interface TypicalState {
  typical: boolean;
  title?: string;
  story?: string;
  eventId: string;
  occurredAt: string;
}

export function foldMajor(sorted: readonly DomainEvent[]): MajorState | undefined {
  let out: MajorState | undefined;
  for (const e of sorted) {
    if (e.type !== 'case.major') continue;
    const raised = e.data.flagged
      ? out?.flagged
        ? { raisedEventId: out.raisedEventId, raisedAt: out.raisedAt }
        : { raisedEventId: e.id, raisedAt: e.occurredAt }
      : {};
    const { flagged, criteria, ...rest } = e.data;
    out = { flagged, criteria: [...criteria], ...rest, ...raised, eventId: e.id, occurredAt: e.occurredAt };
  }
  return out;
}

export function foldTypical(sorted: readonly DomainEvent[]): TypicalState | undefined {
  let out: TypicalState | undefined;
  for (const e of sorted) {
    if (e.type === 'case.typical') out = { ...e.data, eventId: e.id, occurredAt: e.occurredAt };
  }
  return out;
}

/** A 重大矛盾纠纷: flagged now and not voided. The monthly return's 重大矛盾纠纷 (件) counts these. */
export function isMajorCase(state: CaseState): boolean {
  return state.status !== 'voided' && state.major?.flagged === true;
}

/** Marked 典型案例 now and not voided. */
export function isTypicalCase(state: CaseState): boolean {
  return state.status !== 'voided' && state.typical?.typical === true;
}

export interface StageStep {
  stage: MajorStage;
  /** Reached (with when), or still ahead. */
  done: boolean;
  at?: string;
}

/**
 * The chain as far as the case has gone: 排查 at registration, 预警 when flagged 重大, 调处 at the
 * first 调解记录 or closure, then 化解 (latest closure a success) or 移交 (handed to another body).
 * The last step shows 化解 until the case is handed over.
 */
export function majorStages(state: CaseState): StageStep[] {
  const first = <T extends { occurredAt: string }>(list: readonly T[]) => list[0]?.occurredAt;
  const handledAt = [first(state.sessions), first(state.closures)].filter((x): x is string => x !== undefined).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  const m = state.major;
  const step = (stage: MajorStage, at: string | undefined, done = at !== undefined): StageStep => (at !== undefined ? { stage, done, at } : { stage, done });
  const steps = [step('screening', state.openedAt ?? state.firstEventAt), step('warning', m?.raisedAt), step('handling', handledAt)];
  if (m?.transferredTo) steps.push(step('transferred', m.occurredAt));
  else steps.push(step('resolved', state.status === 'closed' && state.closure?.result === 'success' ? state.closure.occurredAt : undefined));
  return steps;
}

/** The stage a case has reached: the last step done. */
export function currentStage(state: CaseState): MajorStage {
  const done = majorStages(state).filter((s) => s.done);
  return done[done.length - 1]?.stage ?? 'screening';
}
