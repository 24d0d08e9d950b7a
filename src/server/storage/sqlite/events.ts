// SQLite implementation of the event store: SQL only, the push algorithm is services/push.ts.
// A push is one `BEGIN IMMEDIATE` … `COMMIT` on the connection; its statements are synchronous
// (better-sqlite3) but the algorithm awaits between them, so every method of the store runs
// through one per-connection queue (`serial`, sqlite/index.ts): no other request's statement
// can land inside an open push transaction or see its rows before the commit. With WAL and
// synchronous=FULL the commit is durable when COMMIT returns. `seq` is the rowid: one writer
// at a time means rowid order is commit order.
import type Database from 'better-sqlite3';
import type { DomainEvent, StoredEvent } from '#shared/events';
import { PROJECTION_TABLES, type ProjectionTable } from '../../services/projection.ts';
import type {
  DeviceSyncStatus,
  EventStore,
  LeafKind,
  OrgRow,
  ProjectionDump,
  RollupReadRow,
  RollupRow,
  StatsRollup,
  PulledRow,
  PullQuery,
  ProjectionTableName,
  PushTx,
  QuarantinedEvent,
  StatsAggregates,
  SweepTotalsSource,
  UnitFilter,
} from '../event-store.ts';
import { leafFactsSql, orgChainSql, pullScopeOf, ROLLUP_KEYS, ROLLUP_READ_SQL, ROLLUP_SUMS, rollupAddSql, STATS_SQL } from '../event-sql.ts';
import type { Checkpointer } from './checkpointer.ts';
import type { Serial } from './serial.ts';

interface EventRow {
  seq: number;
  body: string;
  author_id: string;
  received_at: string;
}

function storedEventOf(r: EventRow): StoredEvent {
  return { ...(JSON.parse(r.body) as DomainEvent), seq: r.seq, authorId: r.author_id, receivedAt: r.received_at };
}

function pullScopedRows(db: Database.Database, { afterSeq, upToSeq, limit, units, subjects }: PullQuery): PulledRow[] {
  const where = ['seq > ?'];
  const args: (string | number)[] = [afterSeq];
  if (upToSeq !== undefined) {
    where.push('seq <= ?');
    args.push(upToSeq);
  }
  if (subjects !== undefined) {
    // One JSON object, subject id → its cut-off seq: the subject is one of its keys, the seq within its value.
    const upTo = JSON.stringify(Object.fromEntries(subjects.map((s) => [s.subjectId, s.upToSeq])));
    where.push('seq <= (SELECT value FROM json_each(?) WHERE key = events.subject_id)');
    args.push(upTo);
    where.push('subject_id IN (SELECT key FROM json_each(?))');
    args.push(upTo);
  } else if (units !== 'all') {
    where.push('(scope_unit_id IN (SELECT value FROM json_each(?)) OR moved_from_unit_id IN (SELECT value FROM json_each(?)))');
    args.push(JSON.stringify(units), JSON.stringify(units));
  }
  args.push(limit);
  const rows = db
    .prepare<unknown[], EventRow & { scope_unit_id: string }>(
      `SELECT seq, body, author_id, received_at, scope_unit_id FROM events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
    )
    .all(...args);
  return rows.map((r) => ({ event: storedEventOf(r), scopeUnitId: r.scope_unit_id }));
}

function upsertSql(t: ProjectionTable): string {
  const cols = t.columns;
  const sets = cols.filter((c) => c !== t.key).map((c) => `${c} = excluded.${c}`);
  return `INSERT INTO ${t.name} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT (${t.key}) DO UPDATE SET ${sets.join(', ')}`;
}

const ORG_COLUMNS = 'id, parent_id AS parentId, kind, name, short_name AS shortName';

/** The rollup's statements, prepared on first use (a database opened at an older schema has no stats_rollup). */
function rollupStatements(db: Database.Database) {
  const lazy = <T>(make: () => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const deltas = `SELECT ${[...ROLLUP_KEYS, ...ROLLUP_SUMS].map((c) => `json_extract(value, '$.${c}') AS ${c}`).join(', ')} FROM json_each(?)`;
  return {
    leafFacts: lazy(() => db.prepare<[Record<LeafKind, string>], RollupRow>(leafFactsSql((kind) => `subject_id IN (SELECT value FROM json_each(@${kind}))`))),
    add: lazy(() => db.prepare<[string]>(rollupAddSql(deltas))),
    read: lazy(() => db.prepare<[Record<string, number | string>], RollupReadRow>(ROLLUP_READ_SQL)),
    children: lazy(() =>
      db.prepare<[Record<string, number | string>], StatsRollup['children'][number]>(
        `SELECT unit_id AS "unitId", fact, sum(n) AS n FROM stats_rollup
         WHERE year = $1 AND unit_id IN (SELECT value FROM json_each($5)) AND fact IN ('resolved', 'sessions') AND month BETWEEN $2 AND $3
         GROUP BY unit_id, fact HAVING sum(n) <> 0`,
      ),
    ),
  };
}

export function sqliteEventStore(db: Database.Database, serial: Serial, checkpointer?: Pick<Checkpointer, 'afterCommit'>): EventStore {
  const rollup = rollupStatements(db);
  const s = {
    existing: db.prepare<[string], { id: string; body: string }>('SELECT id, body FROM events WHERE id IN (SELECT value FROM json_each(?))'),
    insertEvent: db.prepare(
      'INSERT INTO events (id, type, subject_id, org_unit_id, occurred_at, author_id, device_id, received_at, body, scope_unit_id, moved_from_unit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
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
    orgUnit: db.prepare<[string], OrgRow>(`SELECT ${ORG_COLUMNS} FROM org_units WHERE id = ?`),
    orgChain: db.prepare<[string], OrgRow>(orgChainSql('?')),
    committeesUnder: db.prepare<[string], OrgRow>(
      `SELECT ${ORG_COLUMNS} FROM org_units WHERE kind = 'committee' AND parent_id IN (SELECT value FROM json_each(?))`,
    ),
    counter: db.prepare<[string, number], { last_sequence: number }>('SELECT last_sequence FROM case_number_counters WHERE committee_id = ? AND year = ?'),
    setCounter: db.prepare(
      `INSERT INTO case_number_counters (committee_id, year, last_sequence) VALUES (@committeeId, @year, @lastSequence)
       ON CONFLICT (committee_id, year) DO UPDATE SET last_sequence = excluded.last_sequence`,
    ),
    raiseCounter: db.prepare(
      `INSERT INTO case_number_counters (committee_id, year, last_sequence) VALUES (@committeeId, @year, @lastSequence)
       ON CONFLICT (committee_id, year) DO UPDATE SET last_sequence = max(last_sequence, excluded.last_sequence)`,
    ),
    numbersHeld: db.prepare<[string], { case_number: string }>('SELECT case_number FROM case_projection WHERE case_number IN (SELECT value FROM json_each(?))'),
    deleteThemes: db.prepare('DELETE FROM outreach_themes WHERE subject_id IN (SELECT value FROM json_each(?))'),
    sweepRows: db.prepare<[string], SweepTotalsSource>(
      `SELECT subject_id, org_unit_id, year, month, households, disputes_found, zero_report, voided FROM sweep_projection
       WHERE subject_id IN (SELECT value FROM json_each(?))`,
    ),
    addSweepTotals: db.prepare(
      `INSERT INTO sweep_totals (year, org_unit_id, month, count, zero_reports, households, disputes_found)
       VALUES (@year, @org_unit_id, @month, @count, @zero_reports, @households, @disputes_found)
       ON CONFLICT (year, org_unit_id, month) DO UPDATE SET count = count + excluded.count, zero_reports = zero_reports + excluded.zero_reports,
         households = households + excluded.households, disputes_found = disputes_found + excluded.disputes_found`,
    ),
    insertTheme: db.prepare(
      'INSERT OR IGNORE INTO outreach_themes (subject_id, theme, org_unit_id, year, month, voided) VALUES (@subject_id, @theme, @org_unit_id, @year, @month, @voided)',
    ),
    insertRef: db.prepare('INSERT OR IGNORE INTO attachment_refs (sha256, event_id, org_unit_id) VALUES (@sha256, @eventId, @orgUnitId)'),
    devicePush: db.prepare(
      `INSERT INTO device_sync (device_id, user_id, org_unit_id, last_push_at, pending, clock_skew_ms, last_recorded_at)
       VALUES (@deviceId, @userId, @orgUnitId, @at, @pending, @clockSkewMs, @lastRecordedAt)
       ON CONFLICT (device_id, user_id) DO UPDATE SET org_unit_id = coalesce(excluded.org_unit_id, org_unit_id), last_push_at = excluded.last_push_at,
         pending = coalesce(excluded.pending, pending), clock_skew_ms = coalesce(excluded.clock_skew_ms, clock_skew_ms),
         last_recorded_at = coalesce(excluded.last_recorded_at, last_recorded_at)`,
    ),
    devicePull: db.prepare(
      `INSERT INTO device_sync (device_id, user_id, org_unit_id, last_pull_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (device_id, user_id) DO UPDATE SET org_unit_id = coalesce(excluded.org_unit_id, org_unit_id), last_pull_at = excluded.last_pull_at`,
    ),
    getPullScope: db.prepare<
      [string],
      {
        served: string;
        backfill_units: string | null;
        backfill_after: number | null;
        backfill_up_to: number | null;
        moves: string | null;
        offer: string | null;
      }
    >('SELECT served, backfill_units, backfill_after, backfill_up_to, moves, offer FROM pull_scopes WHERE token_id = ?'),
    addUsage: db.prepare(
      'INSERT INTO usage_counters (subject, day, events, upload_bytes) VALUES (?, ?, ?, 0) ON CONFLICT (subject, day) DO UPDATE SET events = events + excluded.events',
    ),
    savePullScope: db.prepare(
      `INSERT INTO pull_scopes (token_id, served, backfill_units, backfill_after, backfill_up_to, updated_at, moves, offer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (token_id) DO UPDATE SET served = excluded.served, backfill_units = excluded.backfill_units,
         backfill_after = excluded.backfill_after, backfill_up_to = excluded.backfill_up_to, updated_at = excluded.updated_at, moves = excluded.moves,
         offer = excluded.offer`,
    ),
  };
  // Bound by position: better-sqlite3 looks a named parameter up on the object per column, which
  // showed as the push's largest single cost on new cases (22 columns a row).
  const upserts = new Map<ProjectionTableName, { statement: Database.Statement; columns: readonly string[] }>(
    PROJECTION_TABLES.map((t) => [t.name, { statement: db.prepare(upsertSql(t)), columns: t.columns }]),
  );
  const json = (values: readonly string[]) => JSON.stringify(values);

  const tx: PushTx = {
    async eventBodies(ids) {
      return new Map(ids.length ? s.existing.all(json(ids)).map((r) => [r.id, r.body] as const) : []);
    },
    async subjectHomes(subjectIds) {
      return new Map(
        subjectIds.length ? s.subjectHomes.all(json(subjectIds)).map((r) => [r.subject_id, { orgUnitId: r.org_unit_id, type: r.type }] as const) : [],
      );
    },
    async subjectEvents(subjectIds) {
      const out = new Map<string, DomainEvent[]>();
      for (const r of s.subjectEvents.all(json(subjectIds))) {
        const list = out.get(r.subject_id) ?? [];
        list.push(JSON.parse(r.body) as DomainEvent);
        out.set(r.subject_id, list);
      }
      return out;
    },
    async numberingContexts(requests) {
      return requests.map(({ orgUnitId, committeeId }) => {
        const chain = s.orgChain.all(orgUnitId);
        return {
          explicit: committeeId ? s.orgUnit.get(committeeId) : undefined,
          chain,
          committees: chain.length ? s.committeesUnder.all(json(chain.map((u) => u.id))) : [],
        };
      });
    },
    async reserveCaseSequences(requests) {
      return requests.map(({ committeeId, year, count }) => {
        const lastSequence = s.counter.get(committeeId, year)?.last_sequence ?? 0;
        s.setCounter.run({ committeeId, year, lastSequence: lastSequence + count });
        return { committeeId, year, lastSequence };
      });
    },
    async raiseCaseCounters(numbers) {
      for (const n of numbers) s.raiseCounter.run(n);
    },
    async caseNumbersHeld(caseNumbers) {
      return new Set(s.numbersHeld.all(json(caseNumbers)).map((r) => r.case_number));
    },
    async sweepRows(subjectIds) {
      return new Map(s.sweepRows.all(json(subjectIds)).map((r) => [r.subject_id, r] as const));
    },
    async insertEvents(rows) {
      for (const { event: e, body, authorId, receivedAt, scopeUnitId, movedFromUnitId } of rows) {
        s.insertEvent.run(
          e.id,
          e.type,
          e.subjectId,
          e.orgUnitId,
          e.occurredAt,
          authorId,
          e.deviceId,
          receivedAt,
          body,
          scopeUnitId ?? e.orgUnitId,
          movedFromUnitId ?? null,
        );
      }
    },
    async insertQuarantine(rows) {
      for (const q of rows) s.insertQuarantine.run({ ...q, rawTruncated: q.rawTruncated ? 1 : 0 });
    },
    async insertAttachmentRefs(refs) {
      for (const r of refs) s.insertRef.run(r);
    },
    async upsertProjections(table, rows) {
      const { statement, columns } = upserts.get(table)!;
      for (const r of rows) statement.run(columns.map((c) => r[c] ?? null));
    },
    async replaceThemes(subjectIds, rows) {
      s.deleteThemes.run(json(subjectIds));
      for (const r of rows) s.insertTheme.run(r);
    },
    async addSweepTotals(deltas) {
      for (const d of deltas) s.addSweepTotals.run(d);
    },
    async leafFacts(subjects) {
      return rollup.leafFacts().all({ case: json(subjects.case), outreach: json(subjects.outreach), sweep: json(subjects.sweep) });
    },
    async addStatsRollup(deltas) {
      rollup.add().run(JSON.stringify(deltas));
    },
    async recordDevicePush(row) {
      s.devicePush.run(row);
    },
    async addPushUsage(subjects, day, events) {
      for (const subject of subjects) s.addUsage.run(subject, day, events);
    },
  };

  const unitsJson = (units: UnitFilter) => JSON.stringify(units === 'all' ? [] : units);

  return {
    async transactPush(fn) {
      return serial.run(async () => {
        // IMMEDIATE takes the write lock up front: no upgrade deadlock with another writer process.
        db.exec('BEGIN IMMEDIATE');
        try {
          const out = await fn(tx);
          db.exec('COMMIT');
          checkpointer?.afterCommit();
          return out;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      });
    },

    async pullEvents(query) {
      return pullScopedRows(db, query).map((r) => r.event);
    },

    async pullScoped(query) {
      return pullScopedRows(db, query);
    },

    async movesInto(units, afterSeq, limit) {
      const inUnits = units === 'all' ? '' : 'AND scope_unit_id IN (SELECT value FROM json_each(?))';
      const args: (string | number)[] = [afterSeq, ...(units === 'all' ? [] : [unitsJson(units)]), limit];
      return db
        .prepare<unknown[], { subject_id: string; seq: number; scope_unit_id: string }>(
          `SELECT subject_id, seq, scope_unit_id FROM events WHERE moved_from_unit_id IS NOT NULL AND seq > ? ${inUnits} ORDER BY seq LIMIT ?`,
        )
        .all(...args)
        .map((r) => ({ subjectId: r.subject_id, seq: r.seq, unitId: r.scope_unit_id }));
    },

    async getPullScope(tokenId) {
      const r = s.getPullScope.get(tokenId);
      if (!r) return undefined;
      return pullScopeOf(r.served, r.backfill_units, r.backfill_after, r.backfill_up_to, r.moves, r.offer);
    },

    async savePullScope(tokenId, state, at) {
      s.savePullScope.run(
        tokenId,
        JSON.stringify(state.served),
        state.backfill ? JSON.stringify(state.backfill.units) : null,
        state.backfill?.afterSeq ?? null,
        state.backfill?.upToSeq ?? null,
        at,
        state.moves ? JSON.stringify(state.moves) : null,
        state.offer ? JSON.stringify(state.offer) : null,
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

    async logHead() {
      return (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM events').get() as { n: number }).n;
    },

    async unitHeadsAfter(afterSeq) {
      return db
        .prepare<[number, number], { orgUnitId: string; seq: number }>(
          // The units the events are pulled under (a moved case's: where it is now, and where it left).
          `SELECT u AS orgUnitId, max(seq) AS seq FROM (
             SELECT scope_unit_id AS u, seq FROM events WHERE seq > ?
             UNION ALL SELECT moved_from_unit_id, seq FROM events WHERE seq > ? AND moved_from_unit_id IS NOT NULL
           ) GROUP BY u`,
        )
        .all(afterSeq, afterSeq);
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
      // One read transaction (this call is one job of the serial queue): another process writing
      // the same file commits between statements otherwise, and the five queries would mix commits.
      db.exec('BEGIN');
      try {
        const out: StatsAggregates = {
          accepted: q(STATS_SQL.accepted),
          closed: q(STATS_SQL.closed),
          outreach: q(STATS_SQL.outreach),
          outreachThemes: q(STATS_SQL.outreachThemes),
          sweeps: q(STATS_SQL.sweeps),
          seq: (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM events').get() as { n: number }).n,
        };
        db.exec('COMMIT');
        return out;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    },

    async statsRollup({ year, fromMonth, toMonth, orgUnitId, children }) {
      const period = { 1: year, 2: fromMonth, 3: toMonth };
      // One read transaction, as statsAggregates: both reads see the same commits.
      db.exec('BEGIN');
      try {
        const out: StatsRollup = {
          rows: rollup.read().all({ ...period, 4: orgUnitId }),
          children: rollup.children().all({ ...period, 5: JSON.stringify(children) }),
        };
        db.exec('COMMIT');
        return out;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
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
