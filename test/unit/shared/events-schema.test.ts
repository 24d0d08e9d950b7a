// The event schema is the contract between phones and server (src/shared/events.ts): for every
// event type, a valid example is accepted as it is; unknown fields are stripped, in the
// envelope, in data and inside nested objects, so the stored form is canonical; each missing
// required field and each rule (pipe checks, cross-field rules) is rejected with the path of
// the field, which is what the forms put the message next to.
import { describe, expect, test } from 'vitest';
import { EVENT_TYPES, parseEvent, type EventType } from '#shared/events';

const envelope = {
  id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  subjectId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
  orgUnitId: 'grid-1',
  occurredAt: '2024-12-31T23:30:00+08:00',
  recordedAt: '2025-01-02T08:01:12.345Z',
  deviceId: 'dev-1',
  deviceSeq: 7,
};

const SHA = 'ab'.repeat(32);
const photo = { sha256: SHA, mime: 'image/jpeg', size: 120_000, width: 1280, height: 960 };
const geo = { lat: 27.7, lng: 108.85, accuracy: 25, at: '2024-12-31T10:01:00+08:00' };
const party = { role: 'applicant', name: '张某', sex: 'male', age: 56, phone: '13812345678' };

interface Spec {
  /** A valid data object using most of the type's fields. */
  data: Record<string, unknown>;
  /** The data fields that must be there. */
  required: string[];
  /** Paths (below data) of nested objects that must drop an unknown field too. */
  nested?: string[];
}

const SPECS: Record<EventType, Spec> = {
  'case.opened': {
    data: {
      disputeType: '01',
      disputeSubtype: '01-divorce',
      source: 'referral',
      referrer: 'court',
      summary: '离婚财产分割',
      parties: [party, { role: 'respondent', name: '李某' }],
      amountInvolved: 12000.5,
      mediators: ['王调解'],
      occurredOn: '2024-12-20',
      acceptedOn: '2024-12-31',
      sweepId: envelope.subjectId,
    },
    required: ['disputeType', 'source', 'summary', 'parties'],
    nested: ['parties.0', 'parties.1'],
  },
  'case.updated': {
    data: { changes: { summary: '宅基地边界及排水沟', parties: [party], orgUnitId: 'grid-2', acceptedOn: '2024-12-30' }, note: '补充当事人' },
    required: ['changes'],
    nested: ['changes', 'changes.parties.0'],
  },
  'case.session': {
    data: { place: '村委会', participants: '双方当事人', mediators: ['王调解', '刘调解'], content: '分别听取双方陈述', outcome: '初步达成一致' },
    required: ['content'],
  },
  'case.closed': {
    data: {
      result: 'success',
      agreementForm: 'written',
      facts: '事实',
      responsibilities: '责任',
      terms: '李某赔偿 2000 元',
      performanceMethod: '现金',
      performanceDeadline: '2025-01-31',
      performancePlace: '村委会',
    },
    required: ['result', 'agreementForm'],
  },
  'case.reopened': { data: { reason: '当事人反悔' }, required: ['reason'] },
  'case.performed': { data: { status: 'partial', method: '转账', note: '余款下月' }, required: ['status'] },
  'case.followup': {
    data: { mode: 'phone', party: '张某', satisfaction: 'satisfied', performanceStatus: 'full', issues: '无', measures: '无' },
    required: ['mode'],
  },
  'case.voided': { data: { reason: '重复登记' }, required: ['reason'] },
  'case.signed': {
    data: {
      signatures: [
        { role: 'party', name: '张某', image: { ...photo, mime: 'image/png' } },
        { role: 'mediator', name: '王调解', image: photo },
      ],
    },
    required: ['signatures'],
    nested: ['signatures.0', 'signatures.0.image'],
  },
  'case.numbered': {
    data: { caseNumber: '（2024）江口人调字第001号', year: 2024, committeeId: 'cmt-1', sequence: 1 },
    required: ['caseNumber', 'year', 'committeeId', 'sequence'],
  },
  'case.outcomes': { data: { flags: ['prevented_criminal', 'agreement_overturned'], note: '法院判决撤销协议' }, required: ['flags'] },
  'case.major': {
    data: {
      flagged: true,
      criteria: ['many_people', 'petition_risk'],
      risk: '双方均有亲属聚集',
      measures: '已分开劝离',
      leader: '李副镇长',
      responsibleUnit: '镇综治办',
    },
    required: ['flagged', 'criteria'],
  },
  'case.typical': { data: { typical: true, title: '邻里排水沟纠纷的化解', story: '张某（化名）与李某（化名）……' }, required: ['typical'] },
  'case.grade_proposed': { data: { grade: 'difficult', note: '调解三次' }, required: ['grade'] },
  'case.graded': { data: { grade: 'major' }, required: ['grade'] },
  'outreach.recorded': {
    data: {
      title: '宪法进院坝',
      form: 'courtyard',
      audience: 120,
      endsAt: '2024-12-31T23:59:00+08:00',
      place: '院坝',
      themes: ['constitution', 'anti_fraud'],
      campaign: 'dec4',
      audienceType: 'villagers',
      materials: 300,
      consultations: 12,
      speakers: ['王律师'],
      photos: [{ ...photo, takenAt: '2024-12-31T10:02:00+08:00', location: geo }],
      location: geo,
    },
    required: ['title', 'form', 'audience'],
    nested: ['photos.0', 'photos.0.location', 'location'],
  },
  'outreach.updated': {
    data: { changes: { audience: 130, photos: [photo] }, note: '人数更正' },
    required: ['changes'],
    nested: ['changes', 'changes.photos.0'],
  },
  'outreach.voided': { data: { reason: '重复登记' }, required: ['reason'] },
  'sweep.recorded': {
    data: { households: 35, disputesFound: 1, zeroReport: false, note: '发现一起', caseIds: [envelope.subjectId], location: geo },
    required: ['households', 'disputesFound'],
    nested: ['location'],
  },
  'sweep.voided': { data: { reason: '重复登记' }, required: ['reason'] },
  'ledger.recorded': { data: { kind: 'study', form: 'leaders', count: 2, title: '民法典专题' }, required: ['kind', 'form', 'count'] },
  'ledger.voided': { data: { reason: '录错' }, required: ['reason'] },
};

const eventOf = (type: string, data: unknown, extra: Record<string, unknown> = {}) => ({ ...envelope, type, data, ...extra });
const clone = <T>(x: T): T => structuredClone(x);

/** The object at a dotted path ("parties.0"). */
function at(root: Record<string, unknown>, path: string): Record<string, unknown> {
  return path.split('.').reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, root);
}

function issuePaths(input: unknown): string[] {
  const r = parseEvent(input);
  if (r.ok) return [];
  expect(r.code).toBe('invalid_event');
  for (const i of r.issues) expect(i.message, i.path).not.toBe('');
  // A value can break two checks of one field (format and existence): one path per field.
  return [...new Set(r.issues.map((i) => i.path))];
}

test('the table covers every event type of the schema', () => {
  expect(Object.keys(SPECS).sort()).toEqual([...EVENT_TYPES].sort());
});

describe.each(EVENT_TYPES)('%s', (type) => {
  const spec = SPECS[type];

  test('a valid example is accepted and kept as it is', () => {
    const r = parseEvent(eventOf(type, clone(spec.data)));
    expect(r.ok ? r.value : r).toEqual(eventOf(type, spec.data));
  });

  test('an unknown field is stripped from the envelope, from data and from nested objects', () => {
    const data = clone(spec.data);
    data.extra = 'x';
    for (const p of spec.nested ?? []) at(data, p).extra = 'x';
    const r = parseEvent(eventOf(type, data, { extra: 'x', seq: 99 }));
    expect(r.ok ? r.value : r).toEqual(eventOf(type, spec.data));
  });

  test.each(spec.required)('data.%s missing is rejected at its path', (field) => {
    const data = clone(spec.data);
    delete data[field];
    expect(issuePaths(eventOf(type, data))).toContain(`data.${field}`);
  });

  test('data missing altogether is rejected at data', () => {
    const { data: _data, ...noData } = eventOf(type, {});
    expect(issuePaths(noData)).toEqual(['data']);
  });
});

describe('the envelope', () => {
  test.each(['id', 'type', 'subjectId', 'orgUnitId', 'occurredAt', 'recordedAt', 'deviceId', 'deviceSeq'])('%s missing is rejected at its path', (field) => {
    const input: Record<string, unknown> = eventOf('case.voided', { reason: '重复登记' });
    delete input[field];
    expect(issuePaths(input)).toEqual([field]);
  });

  const wrong: [string, Record<string, unknown>][] = [
    ['id', { id: '0193A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B' }],
    ['type', { type: 'case.merged' }],
    ['subjectId', { subjectId: 'case-1' }],
    ['orgUnitId', { orgUnitId: 'grid 1' }],
    ['occurredAt', { occurredAt: '2024-12-31T23:30:00' }],
    ['occurredAt', { occurredAt: '2024-13-45T25:00:00+08:00' }],
    ['occurredAt', { occurredAt: '2025-02-29T10:00:00+08:00' }],
    ['occurredAt', { occurredAt: '2024-12-31T24:00:00+08:00' }],
    ['recordedAt', { recordedAt: '昨天' }],
    ['deviceId', { deviceId: '' }],
    ['deviceSeq', { deviceSeq: 1.5 }],
    ['deviceSeq', { deviceSeq: -1 }],
    ['basedOn.0', { basedOn: ['not-a-uuid'] }],
  ];
  test.each(wrong)('a wrong %s is rejected at its path (%j)', (path, change) => {
    expect(issuePaths({ ...eventOf('case.voided', { reason: '重复登记' }), ...change })).toEqual([path]);
  });
});

describe('rules inside data, each rejected at the field', () => {
  const opened = SPECS['case.opened'].data;
  const rules: [string, EventType, Record<string, unknown>, string][] = [
    // Cross-field rules (checkCrossField).
    ['a referral names its referrer', 'case.opened', { ...opened, referrer: undefined }, 'data.referrer'],
    ['a sub-type belongs to its category', 'case.opened', { ...opened, disputeSubtype: '03-homestead' }, 'data.disputeSubtype'],
    // Checks in the pipes.
    ['an unknown dispute type', 'case.opened', { ...opened, disputeType: '42' }, 'data.disputeType'],
    ['an unknown sub-type', 'case.opened', { ...opened, disputeSubtype: '01-nope' }, 'data.disputeSubtype'],
    ['at least one party', 'case.opened', { ...opened, parties: [] }, 'data.parties'],
    ['a party’s name is required (blank after trimming)', 'case.opened', { ...opened, parties: [{ role: 'applicant', name: '   ' }] }, 'data.parties.0.name'],
    ['a party’s role is a known one', 'case.opened', { ...opened, parties: [{ role: 'witness', name: '张某' }] }, 'data.parties.0.role'],
    ['a party’s phone is digits', 'case.opened', { ...opened, parties: [{ role: 'applicant', name: '张某', phone: '138abc' }] }, 'data.parties.0.phone'],
    [
      'an ID number is 15 or 18 characters',
      'case.opened',
      { ...opened, parties: [{ role: 'applicant', name: '张某', idNumber: '1234' }] },
      'data.parties.0.idNumber',
    ],
    ['the summary has a length limit', 'case.opened', { ...opened, summary: '字'.repeat(4001) }, 'data.summary'],
    ['an amount is not negative', 'case.opened', { ...opened, amountInvolved: -1 }, 'data.amountInvolved'],
    ['a correction’s changes follow the same field rules', 'case.updated', { changes: { disputeType: '42' } }, 'data.changes.disputeType'],
    ['a dispute’s date is a real date', 'case.opened', { ...opened, occurredOn: '2024-02-30' }, 'data.occurredOn'],
    ['an acceptance date is a date', 'case.opened', { ...opened, acceptedOn: '2024-12-31T10:00' }, 'data.acceptedOn'],
    ['a correction moves a case to a unit id', 'case.updated', { changes: { orgUnitId: '网格 1' } }, 'data.changes.orgUnitId'],
    [
      'a performance deadline is a real date',
      'case.closed',
      { result: 'success', agreementForm: 'written', performanceDeadline: '2025-02-30' },
      'data.performanceDeadline',
    ],
    [
      'a performance deadline on a leap day only in a leap year',
      'case.closed',
      { result: 'success', agreementForm: 'written', performanceDeadline: '2023-02-29' },
      'data.performanceDeadline',
    ],
    ['a result is one of the codes', 'case.closed', { result: 'won', agreementForm: 'written' }, 'data.result'],
    ['a session records what was done', 'case.session', { content: '  ' }, 'data.content'],
    ['the follow-up mode is one of the codes', 'case.followup', { mode: 'letter' }, 'data.mode'],
    [
      'a case number year is 2000–2200',
      'case.numbered',
      { caseNumber: '（1999）江口人调字第001号', year: 1999, committeeId: 'cmt-1', sequence: 1 },
      'data.year',
    ],
    [
      'a case number sequence starts at 1',
      'case.numbered',
      { caseNumber: '（2024）江口人调字第000号', year: 2024, committeeId: 'cmt-1', sequence: 0 },
      'data.sequence',
    ],
    ['an audience is a whole number', 'outreach.recorded', { title: '宣讲', form: 'lecture', audience: 12.5 }, 'data.audience'],
    ['an end time has its offset', 'outreach.recorded', { title: '宣讲', form: 'lecture', audience: 12, endsAt: '2024-05-01 10:00' }, 'data.endsAt'],
    ['a theme is one of the codes', 'outreach.recorded', { title: '宣讲', form: 'lecture', audience: 12, themes: ['constitution', 'tax'] }, 'data.themes.1'],
    [
      'at most 30 photos',
      'outreach.recorded',
      { title: '宣讲', form: 'lecture', audience: 12, photos: Array.from({ length: 31 }, () => photo) },
      'data.photos',
    ],
    [
      'a photo names its bytes by SHA-256',
      'outreach.recorded',
      { title: '宣讲', form: 'lecture', audience: 12, photos: [{ ...photo, sha256: 'abc' }] },
      'data.photos.0.sha256',
    ],
    ['a photo is jpeg, png or webp', 'outreach.updated', { changes: { photos: [{ ...photo, mime: 'image/gif' }] } }, 'data.changes.photos.0.mime'],
    ['households are not negative', 'sweep.recorded', { households: -1, disputesFound: 0 }, 'data.households'],
    ['a sweep names cases by UUID', 'sweep.recorded', { households: 1, disputesFound: 1, caseIds: ['case-1'] }, 'data.caseIds.0'],
    ['a ledger entry is of a known kind', 'ledger.recorded', { kind: 'party', count: 1 }, 'data.kind'],
    ['a ledger count is at least 1', 'ledger.recorded', { kind: 'study', form: 'leaders', count: 0 }, 'data.count'],
    ['a ledger entry has its kind’s fields', 'ledger.recorded', { kind: 'admin_case', caseType: 'litigation', title: '' }, 'data.title'],
    [
      'a location is on the globe',
      'sweep.recorded',
      { households: 1, disputesFound: 0, location: { lat: 91, lng: 0, accuracy: 5, at: '2024-12-31T10:01:00+08:00' } },
      'data.location.lat',
    ],
    [
      'a photo’s location says when it was taken',
      'outreach.recorded',
      { title: '宣讲', form: 'lecture', audience: 12, photos: [{ ...photo, location: { lat: 1, lng: 1, accuracy: 5, at: 'today' } }] },
      'data.photos.0.location.at',
    ],
    ['a case names its sweep by UUID', 'case.opened', { ...opened, sweepId: 'sweep-1' }, 'data.sweepId'],
    ['a signature names its signer', 'case.signed', { signatures: [{ role: 'party', name: ' ', image: photo }] }, 'data.signatures.0.name'],
    ['a signature is by a party or a mediator', 'case.signed', { signatures: [{ role: 'witness', name: '张某', image: photo }] }, 'data.signatures.0.role'],
    ['a signing has at least one signature', 'case.signed', { signatures: [] }, 'data.signatures'],
    ['a void gives its reason', 'sweep.voided', { reason: '' }, 'data.reason'],
  ];
  test.each(rules)('%s', (_rule, type, data, path) => {
    expect(issuePaths(eventOf(type, data))).toEqual([path]);
  });

  test('a referral with its referrer, a sub-type under its own category, a real leap day are accepted', () => {
    expect(parseEvent(eventOf('case.opened', opened)).ok).toBe(true);
    expect(
      parseEvent(
        eventOf('case.closed', { result: 'success', agreementForm: 'written', performanceDeadline: '2024-02-29' }, { occurredAt: '2024-02-29T23:59:59+08:00' }),
      ).ok,
    ).toBe(true);
    expect(parseEvent(eventOf('case.opened', { ...opened, source: 'application', referrer: undefined, disputeSubtype: undefined })).ok).toBe(true);
    // Registrations made before 纠纷发生日期 and 受理日期 existed stay valid.
    expect(parseEvent(eventOf('case.opened', { ...opened, occurredOn: undefined, acceptedOn: undefined })).ok).toBe(true);
  });
});
