// SQLite implementation of the event store. better-sqlite3 is synchronous, so a push is one
// `BEGIN IMMEDIATE` transaction that no other request can interleave with; with WAL and
// synchronous=FULL the commit is durable when the transaction function returns. `seq` is
// the rowid: one writer at a time means rowid order is commit order.
import type Database from 'better-sqlite3';
import type { DomainEvent, StoredEvent } from '#shared/events';
import { buildCaseNumbered, caseNeedingNumber, chooseNumberingBody, orgChainSql, SYSTEM_AUTHOR, type NumberingBody, type OrgRow } from '../../services/case-number.ts';
import { addSweepTotalsDelta, PROJECTION_TABLES, projectionRowsOf, SWEEP_TOTALS_SOURCE, type ProjectionTable, type Row, type SweepTotalsDelta } from '../../services/projection.ts';
import { attachmentRefsOf, clockSkewOf, idsToLookUp, latestEventOf, planBatch, subjectsToLookUp } from '../../services/push-plan.ts';
import type {
  DeviceSyncStatus,
  EventStore,
  ProjectionDump,
  PushBatch,
  PushOutcome,
  QuarantinedEvent,
  StatsAggregates,
  UnitFilter,
} from '../event-store.ts';
import { pullScopeOf, STATS_SQL } from '../event-sql.ts';

interface EventRow {
  seq: number;
  body: string;
  author_id: string;
  received_at: string;
}

function storedEventOf(r: EventRow): StoredEvent {
  return { ...(JSON.parse(r.body) as DomainEvent), seq: r.seq, authorId: r.author_id, receivedAt: r.received_at };
}

function upsertSql(t: ProjectionTable): string {
  const cols = t.columns;
  const sets = cols.filter((c) => c !== t.key).map((c) => `${c} = excluded.${c}`);
  return `INSERT INTO ${t.name} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')}) ON CONFLICT (${t.key}) DO UPDATE SET ${sets.join(', ')}`;
}

export function sqliteEventStore(db: Database.Database, _dataDir: string): EventStore {
  const s = {
    existing: db.prepare<[string], { id: string; body: string }>('SELECT id, body FROM events WHERE id IN (SELECT value FROM json_each(?))'),
    insertEvent: db.prepare(
      'INSERT INTO events (id, type, subject_id, org_unit_id, occurred_at, author_id, device_id, received_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    insertQuarantine: db.prepare(
      `INSERT INTO quarantine (fingerprint, event_id, subject_id, org_unit_id, type, code, message, author_id, device_id, received_at, raw, raw_truncated)
       VALUES (@fingerprint, @eventId, @subjectId, @orgUnitId, @type, @code, @message, @authorId, @deviceId, @receivedAt, @raw, @rawTruncated)
       ON CONFLICT (fingerprint) DO NOTHING`,
    ),
    // SQLite takes org_unit_id and type from the row that has MIN(seq): the subject's first event.
    subjectHomes: db.prepare<[string], { subject_id: string; org_unit_id: string; type: string }>(
      'SELECT subject_id, org_unit_id, type, MIN(seq) FROM events WHERE subject_id IN (SELECT value FROM json_each(?)) GROUP BY subject_id',
    ),
    subjectEvents: db.prepare<[string], { subject_id: string; body: string }>(
      'SELECT subject_id, body FROM events WHERE subject_id IN (SELECT value FROM json_each(?)) ORDER BY seq',
    ),
    orgUnit: db.prepare<[string], OrgRow>('SELECT id, parent_id AS parentId, kind, name, short_name AS shortName FROM org_units WHERE id = ?'),
    orgChain: db.prepare<[string], OrgRow>(orgChainSql('?')),
    committeesUnder: db.prepare<[string], OrgRow>(
      "SELECT id, parent_id AS parentId, kind, name, short_name AS shortName FROM org_units WHERE kind = 'committee' AND parent_id IN (SELECT value FROM json_each(?))",
    ),
    nextNumber: db.prepare<[string, number], { last_sequence: number }>(
      `INSERT INTO case_number_counters (committee_id, year, last_sequence) VALUES (?, ?, 1)
       ON CONFLICT (committee_id, year) DO UPDATE SET last_sequence = last_sequence + 1 RETURNING last_sequence`,
    ),
    deleteThemes: db.prepare('DELETE FROM outreach_themes WHERE subject_id = ?'),
    oldSweep: db.prepare<[string], Row>(`SELECT ${SWEEP_TOTALS_SOURCE} FROM sweep_projection WHERE subject_id = ?`),
    addSweepTotals: db.prepare(
      `INSERT INTO sweep_totals (year, org_unit_id, month, count, zero_reports, households, disputes_found)
       VALUES (@year, @org_unit_id, @month, @count, @zero_reports, @households, @disputes_found)
       ON CONFLICT (year, org_unit_id, month) DO UPDATE SET count = count + excluded.count, zero_reports = zero_reports + excluded.zero_reports,
         households = households + excluded.households, disputes_found = disputes_found + excluded.disputes_found`,
    ),
    insertTheme: db.prepare('INSERT OR IGNORE INTO outreach_themes (subject_id, theme, org_unit_id, year, month, voided) VALUES (?, ?, ?, ?, ?, ?)'),
    insertRef: db.prepare('INSERT OR IGNORE INTO attachment_refs (sha256, event_id, org_unit_id) VALUES (?, ?, ?)'),
    devicePush: db.prepare(
      `INSERT INTO device_sync (device_id, user_id, org_unit_id, last_push_at, pending, clock_skew_ms, last_recorded_at)
       VALUES (@deviceId, @userId, @orgUnitId, @at, @pending, @skew, @recordedAt)
       ON CONFLICT (device_id, user_id) DO UPDATE SET org_unit_id = coalesce(excluded.org_unit_id, org_unit_id), last_push_at = excluded.last_push_at,
         pending = coalesce(excluded.pending, pending), clock_skew_ms = coalesce(excluded.clock_skew_ms, clock_skew_ms),
         last_recorded_at = coalesce(excluded.last_recorded_at, last_recorded_at)`,
    ),
    devicePull: db.prepare(
      `INSERT INTO device_sync (device_id, user_id, org_unit_id, last_pull_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (device_id, user_id) DO UPDATE SET org_unit_id = coalesce(excluded.org_unit_id, org_unit_id), last_pull_at = excluded.last_pull_at`,
    ),
    getPullScope: db.prepare<[string], { served: string; backfill_units: string | null; backfill_after: number | null; backfill_up_to: number | null }>(
      'SELECT served, backfill_units, backfill_after, backfill_up_to FROM pull_scopes WHERE token_id = ?',
    ),
    savePullScope: db.prepare(
      `INSERT INTO pull_scopes (token_id, served, backfill_units, backfill_after, backfill_up_to, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (token_id) DO UPDATE SET served = excluded.served, backfill_units = excluded.backfill_units,
         backfill_after = excluded.backfill_after, backfill_up_to = excluded.backfill_up_to, updated_at = excluded.updated_at`,
    ),
  };
  const upserts = new Map(PROJECTION_TABLES.map((t) => [t.name, db.prepare(upsertSql(t))]));

  // Cases opened in one batch mostly share a few units: resolve each unit's committee once.
  const numberCase = (events: DomainEvent[], timeZone: string, now: string, bodies: Map<string, NumberingBody>): DomainEvent | undefined => {
    const need = caseNeedingNumber(events, timeZone);
    if (!need) return undefined;
    const key = `${need.orgUnitId}\n${need.committeeId ?? ''}`;
    let body = bodies.get(key);
    if (!body) {
      const explicit = need.committeeId ? s.orgUnit.get(need.committeeId) : undefined;
      const chain = s.orgChain.all(need.orgUnitId);
      const committees = chain.length ? s.committeesUnder.all(JSON.stringify(chain.map((u) => u.id))) : [];
      body = chooseNumberingBody(explicit, chain, committees, need.orgUnitId);
      bodies.set(key, body);
    }
    const sequence = s.nextNumber.get(body.committeeId, need.year)!.last_sequence;
    return buildCaseNumbered(need, body, sequence, now);
  };

  const insertEvent = (e: DomainEvent, canonical: string, authorId: string, receivedAt: string) => {
    s.insertEvent.run(e.id, e.type, e.subjectId, e.orgUnitId, e.occurredAt, authorId, e.deviceId, receivedAt, canonical);
  };

  const push = db.transaction((batch: PushBatch): PushOutcome => {
    const ids = idsToLookUp(batch);
    const stored = new Map(ids.length ? s.existing.all(JSON.stringify(ids)).map((r) => [r.id, r.body] as const) : []);
    const subjects = subjectsToLookUp(batch);
    const homes = new Map(subjects.length ? s.subjectHomes.all(JSON.stringify(subjects)).map((r) => [r.subject_id, { orgUnitId: r.org_unit_id, type: r.type }] as const) : []);
    const plan = planBatch(batch, stored, homes);

    // The subjects' earlier events, read before this batch's are inserted: new ones are in hand.
    const bySubject = new Map<string, DomainEvent[]>();
    for (const row of plan.inserts) bySubject.set(row.event.subjectId, []);
    if (bySubject.size) {
      for (const r of s.subjectEvents.all(JSON.stringify([...bySubject.keys()]))) bySubject.get(r.subject_id)!.push(JSON.parse(r.body) as DomainEvent);
    }
    for (const row of plan.inserts) {
      insertEvent(row.event, row.canonical, batch.authorId, batch.receivedAt);
      bySubject.get(row.event.subjectId)!.push(row.event);
      for (const ref of attachmentRefsOf(row.event)) s.insertRef.run(ref.sha256, ref.eventId, ref.orgUnitId);
    }
    for (const q of plan.quarantine) s.insertQuarantine.run({ ...q, rawTruncated: q.rawTruncated ? 1 : 0 });

    const bodies = new Map<string, NumberingBody>();
    const sweepTotals = new Map<string, SweepTotalsDelta>();
    for (const events of bySubject.values()) {
      const numbered = numberCase(events, batch.timeZone, batch.receivedAt, bodies);
      if (numbered) {
        insertEvent(numbered, JSON.stringify(numbered), SYSTEM_AUTHOR, batch.receivedAt);
        events.push(numbered);
      }
      writeProjection(events, batch.timeZone, sweepTotals);
    }
    for (const delta of sweepTotals.values()) s.addSweepTotals.run(delta);

    const clockSkewMs = clockSkewOf(batch);
    const latest = latestEventOf(batch)?.recordedAt;
    s.devicePush.run({
      deviceId: batch.deviceId,
      userId: batch.authorId,
      orgUnitId: batch.userOrgUnitId ?? null,
      at: batch.receivedAt,
      pending: batch.pending ?? null,
      skew: clockSkewMs ?? null,
      recordedAt: latest ?? null,
    });
    return { results: plan.results, clockSkewMs };
  });

  const writeProjection = (events: DomainEvent[], timeZone: string, sweepTotals: Map<string, SweepTotalsDelta>) => {
    const out = projectionRowsOf(events, timeZone);
    if (!out) return;
    for (const [table, row] of out.rows) {
      if (table === 'sweep_projection') addSweepTotalsDelta(sweepTotals, s.oldSweep.get(out.subjectId), row);
      upserts.get(table)!.run(row);
    }
    if (out.rows[0]?.[0] === 'outreach_projection') s.deleteThemes.run(out.subjectId);
    const [, row] = out.rows[0]!;
    for (const theme of out.themes) s.insertTheme.run(out.subjectId, theme, row.org_unit_id, row.year, row.month, row.voided);
  };

  const unitsJson = (units: UnitFilter) => JSON.stringify(units === 'all' ? [] : units);

  return {
    async pushEvents(batch) {
      // IMMEDIATE takes the write lock up front: no upgrade deadlock with another writer process.
      return push.immediate(batch);
    },

    async pullEvents({ afterSeq, upToSeq, limit, units }) {
      const where = ['seq > ?'];
      const args: (string | number)[] = [afterSeq];
      if (upToSeq !== undefined) {
        where.push('seq <= ?');
        args.push(upToSeq);
      }
      if (units !== 'all') {
        where.push('org_unit_id IN (SELECT value FROM json_each(?))');
        args.push(unitsJson(units));
      }
      args.push(limit);
      const rows = db.prepare<unknown[], EventRow>(`SELECT seq, body, author_id, received_at FROM events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`).all(...args);
      return rows.map(storedEventOf);
    },

    async getPullScope(tokenId) {
      const r = s.getPullScope.get(tokenId);
      if (!r) return undefined;
      return pullScopeOf(r.served, r.backfill_units, r.backfill_after, r.backfill_up_to);
    },

    async savePullScope(tokenId, state, at) {
      s.savePullScope.run(
        tokenId,
        JSON.stringify(state.served),
        state.backfill ? JSON.stringify(state.backfill.units) : null,
        state.backfill?.afterSeq ?? null,
        state.backfill?.upToSeq ?? null,
        at,
      );
    },

    async recordPull(deviceId, userId, orgUnitId, at) {
      s.devicePull.run(deviceId, userId, orgUnitId ?? null, at);
    },

    async listDevices(units) {
      const filter = units === 'all' ? '' : 'WHERE org_unit_id IN (SELECT value FROM json_each(?))';
      const rows = db
        .prepare<unknown[], DeviceSyncStatus>(
          `SELECT device_id AS deviceId, user_id AS userId, org_unit_id AS orgUnitId, last_push_at AS lastPushAt, last_pull_at AS lastPullAt,
             pending, clock_skew_ms AS clockSkewMs, last_recorded_at AS lastRecordedAt
           FROM device_sync ${filter} ORDER BY coalesce(last_push_at, last_pull_at) DESC`,
        )
        .all(...(units === 'all' ? [] : [unitsJson(units)]));
      return rows;
    },

    async listQuarantine({ authorId, units, limit }) {
      const ors: string[] = [];
      const args: (string | number)[] = [];
      if (authorId !== undefined) {
        ors.push('author_id = ?');
        args.push(authorId);
      }
      if (units === 'all') ors.push('1 = 1');
      else if (units) {
        ors.push('org_unit_id IN (SELECT value FROM json_each(?))');
        args.push(unitsJson(units));
      }
      if (!ors.length) return [];
      args.push(limit);
      const rows = db
        .prepare<unknown[], Omit<QuarantinedEvent, 'rawTruncated' | 'resolved'> & { rawTruncated: number; resolved: number }>(
          `SELECT qid, event_id AS eventId, subject_id AS subjectId, org_unit_id AS orgUnitId, type, code, message, author_id AS authorId,
             device_id AS deviceId, received_at AS receivedAt, raw, raw_truncated AS rawTruncated,
             CASE WHEN code <> 'id_reuse' AND EXISTS (SELECT 1 FROM events e WHERE e.id = quarantine.event_id) THEN 1 ELSE 0 END AS resolved
           FROM quarantine WHERE ${ors.join(' OR ')} ORDER BY qid DESC LIMIT ?`,
        )
        .all(...args);
      return rows.map((r) => ({ ...r, rawTruncated: r.rawTruncated === 1, resolved: r.resolved === 1 }));
    },

    async hasAttachmentRef(sha256, units) {
      const sql =
        units === 'all'
          ? 'SELECT 1 FROM attachment_refs WHERE sha256 = ? LIMIT 1'
          : 'SELECT 1 FROM attachment_refs WHERE sha256 = ? AND org_unit_id IN (SELECT value FROM json_each(?)) LIMIT 1';
      const args = units === 'all' ? [sha256] : [sha256, unitsJson(units)];
      return db.prepare(sql).get(...args) !== undefined;
    },

    async statsAggregates({ year, fromMonth, toMonth }) {
      // `$n` are named parameters to better-sqlite3, bound by an object keyed without the `$`.
      const q = <T>(sql: string) => db.prepare<[Record<string, number>], T>(sql).all({ 1: year, 2: fromMonth, 3: toMonth });
      const out: StatsAggregates = {
        accepted: q(STATS_SQL.accepted),
        closed: q(STATS_SQL.closed),
        outreach: q(STATS_SQL.outreach),
        outreachThemes: q(STATS_SQL.outreachThemes),
        sweeps: q(STATS_SQL.sweeps),
      };
      return out;
    },

    async dumpProjections() {
      const all = (sql: string) => db.prepare<[], Record<string, unknown>>(sql).all();
      const dump: ProjectionDump = {
        cases: all('SELECT * FROM case_projection ORDER BY subject_id'),
        outreach: all('SELECT * FROM outreach_projection ORDER BY subject_id'),
        outreachThemes: all('SELECT * FROM outreach_themes ORDER BY subject_id, theme'),
        sweeps: all('SELECT * FROM sweep_projection ORDER BY subject_id'),
        sweepTotals: all('SELECT * FROM sweep_totals WHERE count <> 0 ORDER BY year, org_unit_id, month'),
      };
      return dump;
    },
  };
}
