// The event log's wire and storage form. Every fact is an event made on a device and never
// edited in place; one valibot schema per event type is both the validator (on the phone
// before saving, on the server before applying, on rows read back after an app update) and
// the TypeScript type. Unknown fields are stripped, so the stored form is canonical.
import * as v from 'valibot';
import { existsOnCalendar } from './calendar.ts';
import { issueMessage, issuePath } from './issues.ts';
import {
  AGREEMENT_FORMS,
  AUDIENCE_TYPES,
  CAMPAIGN_NODES,
  CASE_RESULTS,
  CASE_SOURCES,
  FOLLOWUP_MODES,
  OUTCOME_FLAGS,
  OUTREACH_FORMS,
  OUTREACH_THEMES,
  PARTY_ROLES,
  PERFORMANCE_STATUSES,
  REFERRERS,
  SATISFACTION,
  SEXES,
  codesOf,
  rollUpDisputeType,
} from './codes.ts';
import { LedgerEntry } from './office/ledgers.ts';
import { CaseGraded, CaseMajor, CaseTypical } from './major/events.ts';

export const MAX_BATCH = 500;

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ORG_UNIT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An instant as the user states it, with its offset (`Z` or `±HH:MM`). */
export const IsoInstant = v.pipe(
  v.string(),
  v.regex(ISO_WITH_OFFSET, '时间格式应为带时区的 ISO 8601'),
  v.check((s) => existsOnCalendar(s) && !Number.isNaN(Date.parse(s)), '时间不存在'),
);
const Uuid = v.pipe(v.string(), v.regex(UUID, '应为小写 UUID'));
const OrgUnitId = v.pipe(v.string(), v.regex(ORG_UNIT_ID, '组织编号格式不对'));
const Sha256 = v.pipe(v.string(), v.regex(SHA256, '应为 64 位十六进制 SHA-256'));
export const LocalDate = v.pipe(v.string(), v.regex(DATE, '日期格式应为 YYYY-MM-DD'), v.check(existsOnCalendar, '日期不存在'));

const text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, `不超过 ${max} 字`));
const requiredText = (max: number, what: string) => v.pipe(v.string(), v.trim(), v.minLength(1, `请填写${what}`), v.maxLength(max, `${what}不超过 ${max} 字`));
const count = (max: number) => v.pipe(v.number(), v.integer('应为整数'), v.minValue(0, '不能为负数'), v.maxValue(max, `不能超过 ${max}`));
const names = v.pipe(v.array(text(40)), v.maxLength(20));

const DisputeTypeCode = v.pipe(
  v.string(),
  v.check((c) => rollUpDisputeType(c) !== undefined, '未知的纠纷类型'),
);

export const Party = v.object({
  role: v.picklist(codesOf(PARTY_ROLES), '当事人身份不对'),
  name: requiredText(40, '当事人姓名'),
  sex: v.optional(v.picklist(codesOf(SEXES))),
  age: v.optional(count(150)),
  phone: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[0-9+\- ]{0,20}$/, '电话号码格式不对'))),
  idNumber: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^(\d{17}[\dXx]|\d{15})?$/, '身份证号格式不对'))),
  address: v.optional(text(200)),
});
export type Party = v.InferOutput<typeof Party>;

/**
 * A party as the server hands it to a reader who may not see personal data (office, admin):
 * phone and ID number in their masked form (mask.ts: '186****2135', '5002**********1234').
 * Accepted only inside an event the server marked `masked: true`, which is never pushed back.
 */
const MaskedParty = v.object({
  ...Party.entries,
  phone: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[0-9*+\- ]{0,20}$/, '电话号码格式不对'))),
  idNumber: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[0-9Xx*]{0,18}$/, '身份证号格式不对'))),
});

const caseFields = {
  disputeType: DisputeTypeCode,
  disputeSubtype: v.optional(DisputeTypeCode),
  source: v.picklist(codesOf(CASE_SOURCES), '案件来源不对'),
  referrer: v.optional(v.picklist(codesOf(REFERRERS), '移送单位不对')),
  stationId: v.optional(OrgUnitId),
  committeeId: v.optional(OrgUnitId),
  summary: requiredText(4000, '纠纷简要情况'),
  claims: v.optional(text(2000)),
  parties: v.pipe(v.array(Party), v.minLength(1, '至少填写一名当事人'), v.maxLength(50)),
  peopleInvolved: v.optional(count(100_000)),
  amountInvolved: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1e12))),
  mediators: v.optional(names),
  occurredPlace: v.optional(text(200)),
  // The two dates of a registration: the day the dispute arose (纠纷发生日期) and the day the
  // committee accepted it (受理日期). Events before these fields carry neither: their
  // occurredAt is the acceptance, as statistics always counted it.
  occurredOn: v.optional(LocalDate),
  acceptedOn: v.optional(LocalDate),
  /** The sweep (its subject id) in which the dispute was found, when the case came from one. */
  sweepId: v.optional(Uuid),
};

const CaseOpened = v.object(caseFields);
const CaseUpdated = v.object({
  // A correction may move the case to another grid or village (登记错了网格): the fold then
  // takes the latest such unit as the case's own.
  changes: v.partial(v.object({ ...caseFields, orgUnitId: OrgUnitId })),
  note: v.optional(text(500)),
});
const maskedCaseFields = { ...caseFields, parties: v.pipe(v.array(MaskedParty), v.minLength(1, '至少填写一名当事人'), v.maxLength(50)) };
const MaskedCaseOpened = v.object(maskedCaseFields);
const MaskedCaseUpdated = v.object({ changes: v.partial(v.object(maskedCaseFields)), note: v.optional(text(500)) });
const CaseSession = v.object({
  place: v.optional(text(200)),
  participants: v.optional(text(500)),
  mediators: v.optional(names),
  content: requiredText(8000, '调解情况'),
  outcome: v.optional(text(2000)),
});
const CaseClosed = v.object({
  result: v.picklist(codesOf(CASE_RESULTS), '调解结果不对'),
  agreementForm: v.picklist(codesOf(AGREEMENT_FORMS), '协议形式不对'),
  facts: v.optional(text(4000)),
  responsibilities: v.optional(text(4000)),
  terms: v.optional(text(8000)),
  performanceMethod: v.optional(text(500)),
  performanceDeadline: v.optional(LocalDate),
  performancePlace: v.optional(text(200)),
  note: v.optional(text(2000)),
});
const CaseReopened = v.object({ reason: requiredText(1000, '重新调解的原因') });
const CasePerformed = v.object({
  status: v.picklist(codesOf(PERFORMANCE_STATUSES), '履行情况不对'),
  method: v.optional(text(500)),
  note: v.optional(text(2000)),
});
const CaseFollowup = v.object({
  mode: v.picklist(codesOf(FOLLOWUP_MODES), '回访方式不对'),
  party: v.optional(text(40)),
  satisfaction: v.optional(v.picklist(codesOf(SATISFACTION))),
  performanceStatus: v.optional(v.picklist(codesOf(PERFORMANCE_STATUSES))),
  issues: v.optional(text(2000)),
  measures: v.optional(text(2000)),
});
const Voided = v.object({ reason: requiredText(500, '作废原因') });
/** 结果标记: the case's whole set of outcome flags from now on (an empty list clears them). */
const CaseOutcomes = v.object({
  flags: v.pipe(v.array(v.picklist(codesOf(OUTCOME_FLAGS), '结果标记不对')), v.maxLength(OUTCOME_FLAGS.length)),
  note: v.optional(text(500)),
});

/** Where the worker was, asked for only when they tap 记录位置 (留痕); never recorded silently. */
export const GeoPoint = v.object({
  lat: v.pipe(v.number(), v.minValue(-90), v.maxValue(90)),
  lng: v.pipe(v.number(), v.minValue(-180), v.maxValue(180)),
  /** Metres, as the phone's location service reports it. */
  accuracy: v.pipe(v.number(), v.minValue(0), v.maxValue(100_000)),
  at: IsoInstant,
});
export type GeoPoint = v.InferOutput<typeof GeoPoint>;

export const Photo = v.object({
  sha256: Sha256,
  mime: v.picklist(['image/jpeg', 'image/png', 'image/webp']),
  size: count(10 * 1024 * 1024),
  width: v.optional(count(20_000)),
  height: v.optional(count(20_000)),
  /** When the photo was taken (the file's time), and where, when the worker allowed it. */
  takenAt: v.optional(IsoInstant),
  location: v.optional(GeoPoint),
});
export type Photo = v.InferOutput<typeof Photo>;

/** A signature drawn on the phone's screen: a small PNG kept and uploaded like a photo. */
export const Signature = v.object({
  role: v.picklist(['party', 'mediator'], '签名人身份不对'),
  name: requiredText(40, '签名人姓名'),
  image: Photo,
});
export type Signature = v.InferOutput<typeof Signature>;
const CaseSigned = v.object({
  signatures: v.pipe(v.array(Signature), v.minLength(1, '至少一个签名'), v.maxLength(60)),
});

const outreachFields = {
  title: requiredText(200, '活动名称'),
  form: v.picklist(codesOf(OUTREACH_FORMS), '宣传形式不对'),
  audience: count(1_000_000),
  endsAt: v.optional(IsoInstant),
  place: v.optional(text(200)),
  themes: v.optional(v.pipe(v.array(v.picklist(codesOf(OUTREACH_THEMES), '宣传主题不对')), v.maxLength(20))),
  campaign: v.optional(v.picklist(codesOf(CAMPAIGN_NODES), '宣传节点不对')),
  audienceType: v.optional(v.picklist(codesOf(AUDIENCE_TYPES), '受众类型不对')),
  materials: v.optional(count(1_000_000)),
  consultations: v.optional(count(1_000_000)),
  speakers: v.optional(names),
  photos: v.optional(v.pipe(v.array(Photo), v.maxLength(30, '照片不超过 30 张'))),
  location: v.optional(GeoPoint),
  note: v.optional(text(2000)),
};
const OutreachRecorded = v.object(outreachFields);
const OutreachUpdated = v.object({ changes: v.partial(v.object(outreachFields)), note: v.optional(text(500)) });

const SweepRecorded = v.object({
  households: count(100_000),
  disputesFound: count(10_000),
  zeroReport: v.optional(v.boolean()),
  note: v.optional(text(2000)),
  caseIds: v.optional(v.pipe(v.array(Uuid), v.maxLength(100))),
  location: v.optional(GeoPoint),
});

/**
 * Written by the server only, when a case first arrives: the official number
 * "（2024）江口人调字第001号". It flows back to phones on pull like any other event.
 */
export const CaseNumbered = v.object({
  caseNumber: requiredText(60, '案件编号'),
  year: v.pipe(v.number(), v.integer(), v.minValue(2000), v.maxValue(2200)),
  committeeId: OrgUnitId,
  sequence: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /**
   * The server's seal on this event (an HMAC under a key only the server holds; absent on numbers
   * made before it): after a restore from backup the phone gives the event back, and the server
   * takes the number again only with its own seal on it (services/case-number.ts).
   */
  seal: v.optional(v.pipe(v.string(), v.regex(/^[\w-]{43}$/, '编号校验码格式不对'))),
});

/**
 * Event types that only the server writes; a device pushing one is rejected. Office ledger
 * entries are written through the office API (office/admin, their scope), never by phones; so
 * is the office's 以案定补 grade of a case (routes/subsidy.ts), which a mediator only proposes.
 */
export const SERVER_ONLY_TYPES: ReadonlySet<string> = new Set(['case.numbered', 'ledger.recorded', 'ledger.voided', 'case.graded']);

/** Event type → schema of its `data`. Adding a type here makes it valid everywhere. */
const EVENT_DATA = {
  'case.opened': CaseOpened,
  'case.updated': CaseUpdated,
  'case.session': CaseSession,
  'case.closed': CaseClosed,
  'case.reopened': CaseReopened,
  'case.performed': CasePerformed,
  'case.followup': CaseFollowup,
  'case.voided': Voided,
  'case.signed': CaseSigned,
  'case.numbered': CaseNumbered,
  'case.outcomes': CaseOutcomes,
  // 重大矛盾纠纷, 典型案例 and the 以案定补 grade (#shared/major, #shared/subsidy); case.graded is the office's, server-written.
  'case.major': CaseMajor,
  'case.typical': CaseTypical,
  'case.grade_proposed': CaseGraded,
  'case.graded': CaseGraded,
  'outreach.recorded': OutreachRecorded,
  'outreach.updated': OutreachUpdated,
  'outreach.voided': Voided,
  'sweep.recorded': SweepRecorded,
  'sweep.voided': Voided,
  // ledger.recorded data: one entry of an office ledger.
  'ledger.recorded': LedgerEntry,
  'ledger.voided': Voided,
} as const;

export type EventType = keyof typeof EVENT_DATA;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];
export type EventData<T extends EventType> = v.InferOutput<(typeof EVENT_DATA)[T]>;
export type SubjectKind = 'case' | 'outreach' | 'sweep' | 'ledger';

export function subjectKindOf(type: EventType): SubjectKind {
  return type.slice(0, type.indexOf('.')) as SubjectKind;
}

const Envelope = v.object({
  id: Uuid,
  type: v.picklist(EVENT_TYPES, '未知的事件类型'),
  subjectId: Uuid,
  orgUnitId: OrgUnitId,
  occurredAt: IsoInstant,
  recordedAt: IsoInstant,
  deviceId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  deviceSeq: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
  // The subject's latest event ids as the device knew them when it wrote this one: two edits
  // of which neither knew the other are concurrent, and the fold flags the case.
  basedOn: v.optional(v.pipe(v.array(Uuid), v.maxLength(50))),
  // Set by the server on events whose personal data it masked for this reader (pull-mask.ts):
  // such an event is a read-only copy, valid with masked parties, and refused on push.
  masked: v.optional(v.literal(true)),
  data: v.unknown(),
});

/** An event as devices make it. `data` is narrowed by `type`. */
export type DomainEvent = {
  [T in EventType]: Omit<v.InferOutput<typeof Envelope>, 'type' | 'data'> & { type: T; data: EventData<T> };
}[EventType];

/** An event as the server stores and serves it. */
export type StoredEvent = DomainEvent & { seq: number; authorId: string; receivedAt: string };

export interface Issue {
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; code: 'invalid_event'; message: string; issues: Issue[] };

function issuesOf(issues: readonly v.BaseIssue<unknown>[], prefix: string): Issue[] {
  return issues.map((i) => ({
    path: issuePath(i, prefix),
    message: issueMessage(i),
  }));
}

/** The data schemas of an event the server marked `masked`: parties in their masked form. */
const MASKED_EVENT_DATA: Partial<Record<EventType, v.GenericSchema>> = { 'case.opened': MaskedCaseOpened, 'case.updated': MaskedCaseUpdated };

export interface ParseOptions {
  /**
   * Whether a server-masked copy (`masked: true`) is acceptable: yes for what a device pulled
   * and holds read-only; no (the default) for anything written or pushed, so a masked copy
   * can never overwrite the real record.
   */
  acceptMasked?: boolean;
}

/** Validates an event envelope and its data; returns the canonical event or the reasons in Chinese. */
export function parseEvent(input: unknown, options: ParseOptions = {}): ParseResult<DomainEvent> {
  const envelope = v.safeParse(Envelope, input);
  if (!envelope.success) {
    const issues = issuesOf(envelope.issues, '');
    return { ok: false, code: 'invalid_event', message: describe(issues), issues };
  }
  if (envelope.output.masked && !options.acceptMasked) {
    const issues = [{ path: 'masked', message: '脱敏的记录副本不能上传或修改' }];
    return { ok: false, code: 'invalid_event', message: describe(issues), issues };
  }
  const schema = (envelope.output.masked ? MASKED_EVENT_DATA[envelope.output.type] : undefined) ?? EVENT_DATA[envelope.output.type];
  const data = v.safeParse(schema, envelope.output.data);
  if (!data.success) {
    const issues = issuesOf(data.issues, 'data');
    return { ok: false, code: 'invalid_event', message: describe(issues), issues };
  }
  const extra = checkCrossField(envelope.output.type, data.output);
  if (extra) return { ok: false, code: 'invalid_event', message: extra.message, issues: [extra] };
  return { ok: true, value: { ...envelope.output, data: data.output } as DomainEvent };
}

function describe(issues: Issue[]): string {
  const first = issues[0];
  if (!first) return '数据格式不对';
  return first.path ? `${first.path}: ${first.message}` : first.message;
}

/** Rules that span fields: a referral names its referrer, a sub-type belongs to its category. */
function checkCrossField(type: EventType, data: unknown): Issue | undefined {
  if (type !== 'case.opened') return undefined;
  const d = data as EventData<'case.opened'>;
  if (d.source === 'referral' && !d.referrer) return { path: 'data.referrer', message: '委托移送的案件请选择移送单位' };
  if (d.disputeSubtype && rollUpDisputeType(d.disputeSubtype) !== rollUpDisputeType(d.disputeType)) {
    return { path: 'data.disputeSubtype', message: '纠纷子类与类别不一致' };
  }
  return undefined;
}

/** A stable JSON form (sorted keys) for comparing two events' content. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const x = (value as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return value;
}
