// The label tables in src/shared/codes.ts: every code the app, the server or the fold can hand
// out has a label, and where a person tells codes apart by their label (pickers, the org sheet
// read back by label, filters) no two codes share one.
import { describe, expect, test } from 'vitest';
import {
  COMMITTEE_TYPES,
  MEDIATOR_EMPLOYMENT,
  OUTCOME_FLAGS,
  UPWARD_DISPUTE_TYPES,
  AGREEMENT_FORMS,
  AUDIENCE_TYPES,
  CAMPAIGN_NODES,
  CASE_RESULTS,
  CASE_SOURCES,
  CASE_STATUS_LABELS,
  DISPUTE_TYPES,
  EVENT_TYPE_LABELS,
  FOLLOWUP_MODES,
  ORG_UNIT_KIND_LABELS,
  ORG_UNIT_KINDS,
  OUTREACH_FORMS,
  OUTREACH_THEMES,
  PARTY_ROLES,
  PERFORMANCE_STATUSES,
  REFERRERS,
  ROLE_LABELS,
  ROLES,
  SATISFACTION,
  SEXES,
  TIMELINE_LABELS,
  codesOf,
  eventTypeLabel,
  type Code,
} from '#shared/codes';
import { EVENT_TYPES } from '#shared/events';
import { caseTimeline, foldCase } from '#shared/fold/index';
import { ALLOWED_PARENT_KINDS, GRANT_KINDS } from '#shared/org-rules';
import { closed, makeEvent, opened, reopened, updated, voided } from './support/builders.ts';

const duplicates = (values: readonly string[]) => values.filter((x, i) => values.indexOf(x) !== i);
const labelsOf = (labels: Readonly<Record<string, string>>) => Object.values(labels);

describe('label records keyed by code', () => {
  test('every event type of the schema has a label, and no two types read the same', () => {
    expect(Object.keys(EVENT_TYPE_LABELS).sort()).toEqual([...EVENT_TYPES].sort());
    expect(duplicates(labelsOf(EVENT_TYPE_LABELS))).toEqual([]);
    expect(eventTypeLabel('sweep.recorded')).toBe('矛盾排查');
    // A type from a newer app version, or a prototype key, reads as itself.
    expect(eventTypeLabel('case.merged')).toBe('case.merged');
    expect(eventTypeLabel('toString')).toBe('toString');
  });

  test('every org unit kind the tree rules know has one label, unique (the org sheet is read back by label)', () => {
    expect(Object.keys(ORG_UNIT_KIND_LABELS).sort()).toEqual(Object.keys(ALLOWED_PARENT_KINDS).sort());
    expect(duplicates(labelsOf(ORG_UNIT_KIND_LABELS))).toEqual([]);
    expect(ORG_UNIT_KIND_LABELS.town).toBe('乡镇');
    expect(ORG_UNIT_KINDS).toEqual(Object.entries(ORG_UNIT_KIND_LABELS).map(([code, label]) => ({ code, label })));
  });

  test('every role (the granted ones and admin) has a label, unique (the role picker)', () => {
    expect(Object.keys(ROLE_LABELS).sort()).toEqual(['admin', ...Object.keys(GRANT_KINDS)].sort());
    expect(duplicates(labelsOf(ROLE_LABELS))).toEqual([]);
    expect(codesOf(ROLES)).toEqual(Object.keys(ROLE_LABELS));
  });

  test('every status and every timeline entry a folded case can have is labelled', () => {
    const at = (day: number) => `2024-05-${String(day).padStart(2, '0')}T09:00:00+08:00`;
    const events = [
      opened(at(1)),
      makeEvent(
        'case.numbered',
        at(1),
        { caseNumber: '（2024）江口人调字第001号', year: 2024, committeeId: 'cmt-1', sequence: 1 },
        { deviceId: 'server', deviceSeq: 0 },
      ),
      updated(at(2), { summary: '宅基地边界及排水沟' }),
      makeEvent('case.session', at(3), { content: '第一次调解' }),
      closed(at(4), 'failure'),
      reopened(at(5)),
      closed(at(6), 'success'),
      makeEvent('case.performed', at(7), { status: 'full' }),
      makeEvent('case.followup', at(8), { mode: 'phone', satisfaction: 'satisfied' }),
      makeEvent('case.signed', at(8), { signatures: [{ role: 'party', name: '张某', image: { sha256: 'ab'.repeat(32), mime: 'image/png', size: 2000 } }] }),
      makeEvent('case.outcomes', at(8), { flags: ['prevented_criminal'] }),
    ];
    const states = [foldCase(events.slice(0, 4)), foldCase(events), foldCase([...events, voided(at(9))])];
    expect(states.map((s) => s?.status)).toEqual(['open', 'closed', 'voided']);
    expect(Object.keys(CASE_STATUS_LABELS).sort()).toEqual(['closed', 'open', 'voided']);
    expect(duplicates(labelsOf(CASE_STATUS_LABELS))).toEqual([]);
    const kinds = new Set(caseTimeline(states[2]!).map((i) => i.kind));
    expect([...kinds].sort()).toEqual(Object.keys(TIMELINE_LABELS).sort());
    expect(duplicates(labelsOf(TIMELINE_LABELS))).toEqual([]);
  });
});

describe('code tables', () => {
  const tables: Record<string, readonly Code[]> = {
    CASE_SOURCES,
    REFERRERS,
    PARTY_ROLES,
    SEXES,
    CASE_RESULTS,
    AGREEMENT_FORMS,
    PERFORMANCE_STATUSES,
    FOLLOWUP_MODES,
    SATISFACTION,
    OUTREACH_FORMS,
    OUTREACH_THEMES,
    CAMPAIGN_NODES,
    AUDIENCE_TYPES,
    DISPUTE_TYPES,
    DISPUTE_SUBTYPES: DISPUTE_TYPES.flatMap((t) => t.subtypes),
    OUTCOME_FLAGS,
    UPWARD_DISPUTE_TYPES,
    COMMITTEE_TYPES,
    MEDIATOR_EMPLOYMENT,
  };
  test.each(Object.entries(tables))('%s: codes and labels are unique and no label is empty', (_name, table) => {
    expect(duplicates(table.map((c) => c.code))).toEqual([]);
    expect(duplicates(table.map((c) => c.label))).toEqual([]);
    expect(table.filter((c) => c.label.trim() === '')).toEqual([]);
  });
});
