// 重大矛盾纠纷 alerts for the office: every case of the units whose latest case.major flags it,
// with the time it was flagged (as stated on the phone), the phone's clock when saved, the time
// it reached the server, its stage, and whether someone acknowledged it (major_acks). An alert
// stays until acknowledged; acknowledging is recorded once, with who and when.
import type { Alert, FlashReport } from '#shared/major/api';
import { currentStage, isMajorCase, majorStages } from '#shared/major/fold';
import type { CaseState } from '#shared/fold/index';
import { maskName } from '#shared/mask';
import type { StoredEvent } from '#shared/events';
import type { OrgTree } from '../access/org-tree.ts';
import type { Store } from '../storage/store.ts';

interface AlertSource {
  state: CaseState;
  raised: StoredEvent;
}

/** The flagged cases of the units, each with the event that raised its alert. */
async function flaggedCases(store: Store, units: readonly string[]): Promise<AlertSource[]> {
  const events = await store.listLedgerEvents({ types: ['case.major'], units, from: '1970-01-01T00:00:00Z', to: '9999-12-31T00:00:00Z' });
  const byId = new Map(events.map((e) => [e.id, e]));
  const subjects = [...new Set(events.map((e) => e.subjectId))];
  const states = await Promise.all(subjects.map((id) => store.caseState(id)));
  const out: AlertSource[] = [];
  for (const state of states) {
    if (!state || !isMajorCase(state) || !state.major?.raisedEventId) continue;
    const raised = byId.get(state.major.raisedEventId);
    if (raised) out.push({ state, raised });
  }
  return out;
}

function alertOf(tree: OrgTree, { state, raised }: AlertSource, ack: { at: string; byName: string } | null): Alert {
  const unitId = state.unitId ?? state.orgUnitId;
  return {
    subjectId: state.subjectId,
    caseNumber: state.caseNumber ?? null,
    unitId,
    unitName: tree.get(unitId)?.name ?? unitId,
    disputeType: state.opened?.disputeSubtype ?? state.opened?.disputeType ?? '',
    summary: state.opened?.summary ?? '',
    criteria: state.major?.criteria ?? [],
    flaggedAt: raised.occurredAt,
    recordedAt: raised.recordedAt,
    receivedAt: raised.receivedAt,
    stage: currentStage(state),
    stages: majorStages(state),
    ack,
  };
}

/** The alerts of the units: open ones first, newest arrival first. */
export async function listAlerts(store: Store, tree: OrgTree, units: readonly string[]): Promise<Alert[]> {
  const sources = await flaggedCases(store, units);
  const acks = await store.listMajorAcks(sources.map((s) => s.state.subjectId));
  const ackOf = new Map(acks.map((a) => [`${a.subjectId}\u0000${a.raisedEventId}`, { at: a.ackedAt, byName: a.ackedByName }]));
  return sources
    .map((s) => alertOf(tree, s, ackOf.get(`${s.state.subjectId}\u0000${s.raised.id}`) ?? null))
    .sort(
      (a, b) => Number(a.ack !== null) - Number(b.ack !== null) || Date.parse(b.receivedAt) - Date.parse(a.receivedAt) || (a.subjectId < b.subjectId ? -1 : 1),
    );
}

/** One alert's source, when the case is flagged and in the units. */
export async function alertSource(store: Store, units: readonly string[], subjectId: string): Promise<AlertSource | undefined> {
  return (await flaggedCases(store, units)).find((s) => s.state.subjectId === subjectId);
}

export async function flashReportOf(store: Store, tree: OrgTree, source: AlertSource, seesPersonalData: boolean): Promise<FlashReport> {
  const [ack] = await store.listMajorAcks([source.state.subjectId]).then((list) => list.filter((a) => a.raisedEventId === source.raised.id));
  const alert = alertOf(tree, source, ack ? { at: ack.ackedAt, byName: ack.ackedByName } : null);
  const s = source.state;
  const o = s.opened;
  const m = s.major!;
  const unitPath = [tree.get(alert.unitId), ...tree.ancestors(alert.unitId)]
    .filter((u) => u !== undefined && u.kind !== 'county')
    .map((u) => u!.name)
    .reverse()
    .join(' ');
  return {
    alert,
    unitPath,
    acceptedOn: s.acceptedOn ?? null,
    occurredOn: o?.occurredOn ?? null,
    occurredPlace: o?.occurredPlace ?? null,
    peopleInvolved: o?.peopleInvolved ?? null,
    amountInvolved: o?.amountInvolved ?? null,
    // The desk sees parties masked (design.md "Roles and scope"): the 快报 names them as the desk does.
    parties: (o?.parties ?? []).map((p) => ({ role: p.role, name: seesPersonalData ? p.name : maskName(p.name) })),
    mediators: o?.mediators ?? [],
    risk: m.risk ?? null,
    measures: m.measures ?? null,
    leader: m.leader ?? null,
    responsibleUnit: m.responsibleUnit ?? null,
    transferredTo: m.transferredTo ?? null,
    sessions: s.sessions.map((x) => ({ at: x.occurredAt, content: x.content })),
  };
}
