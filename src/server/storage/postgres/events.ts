// PostgreSQL implementation of the event store: SQL only, the push algorithm is services/push.ts.
// Several API servers push at once, and a sequence hands out values that commit out of order: a
// reader could see seq 11 committed while 10 is still in flight, move its cursor past 10 and
// never see it. So seq comes from the sync_counter row under one transaction-scoped advisory
// lock, taken by insertEvents, the push's last statement, and released only once the commit is
// visible: seq order is commit order. Everything before it (lookups, refolds, numbering,
// projections) runs alongside other pushes, on rows that are the push's own (its subjects') or
// that it locks in key order (counters, sweep totals, device rows), so pushes never deadlock. A
// push reads its subjects without a lock, so under the ordering lock it checks that no push
// committed events of those subjects after it began (or the same event ids: a unique violation);
// if one did, its reads were stale, and it rolls back and runs again (a replay of the same batch
// then finds its events and answers duplicate). Reads never take the lock. The statistics rollup
// rows go in after the events, under the lock: every push shares its county's rows, and there
// they wait for nothing but the lock (an org move carrying rollup rows takes it too).
import type pg from 'pg';
import type { DomainEvent, StoredEvent } from '#shared/events';
import { PROJECTION_TABLES, type ProjectionTable } from '../../services/projection.ts';
import { leafFactsSql, pullScopeOf, ROLLUP_READ_SQL, rollupAddSql, STATS_SQL } from '../event-sql.ts';
import type {
  CaseCounter,
  DeviceSyncStatus,
  EventStore,
  NumberingContext,
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
} from '../event-store.ts';

/** The push ordering lock; org moves take it too (storage/postgres/accounts.ts), to carry the statistics rollup. */
export const PUSH_LOCK = 7263201;
const LEAF_PARAMS = { case: '$1', outreach: '$2', sweep: '$3' } as const;
const LEAF_FACTS = leafFactsSql((kind) => `subject_id = ANY(${LEAF_PARAMS[kind]}::text[])`);
const ADD_ROLLUP = rollupAddSql(
  `SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(year integer, unit_id text, fact text, month integer, k1 text, k2 text, k3 text, k4 text,
     k5 integer, k6 integer, n bigint, v1 bigint, v2 bigint, v3 bigint)`,
);
/** Attempts of one push that keep losing the race for its subjects before it answers busy. */
const PUSH_ATTEMPTS = 4;

/** A concurrent push committed events of this push's subjects (or ids) after it read them. */
class ConcurrentPushError extends Error {
  // serialization_failure: answered 503 database_busy (http/database-errors.ts) should every attempt lose.
  readonly code = '40001';
  constructor() {
    super('a concurrent push wrote the same subjects');
    this.name = 'ConcurrentPushError';
  }
}

const isDuplicateEventId = (err: unknown): boolean =>
  err instanceof Error && (err as { code?: unknown }).code === '23505' && (err as { constraint?: unknown }).constraint === 'events_pkey';

// Only left to rows whose order is the batch's (quarantine), yet retried like a lost race.
const isDeadlock = (err: unknown): boolean => err instanceof Error && (err as { code?: unknown }).code === '40P01';

/** Sorted copies, so that every push takes its row locks in the same order. */
const sortedBy = <T>(rows: readonly T[], key: (row: T) => string): T[] => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

function upsertSql(t: ProjectionTable): string {
  const cols = t.columns;
  const ints = new Set(t.integers);
  // amount_cents: fen of up to 10^12 yuan do not fit in an integer.
  const typeOf = (c: string) => (c === 'amount_cents' ? 'bigint' : ints.has(c) ? 'integer' : 'text');
  const sets = cols.filter((c) => c !== t.key).map((c) => `${c} = excluded.${c}`);
  return `INSERT INTO ${t.name} (${cols.join(', ')})
    SELECT ${cols.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${cols.map((c) => `${c} ${typeOf(c)}`).join(', ')})
    ON CONFLICT (${t.key}) DO UPDATE SET ${sets.join(', ')}`;
}

/** Committed events in seq order with the unit each is pulled under (PullQuery). */
async function pullScopedRows(pool: pg.Pool, { afterSeq, upToSeq, limit, units, subjects }: PullQuery): Promise<PulledRow[]> {
  const where = ['seq > $1'];
  const args: unknown[] = [afterSeq];
  if (upToSeq !== undefined) {
    args.push(upToSeq);
    where.push(`seq <= $${args.length}`);
  }
  if (subjects !== undefined) {
    // Subject ids and, at the same index, each one's cut-off seq.
    args.push(subjects.map((s) => s.subjectId));
    where.push(`subject_id = ANY($${args.length}::text[])`);
    args.push(
      subjects.map((s) => s.subjectId),
      subjects.map((s) => s.upToSeq),
    );
    where.push(
      `seq <= (SELECT m.up_to FROM unnest($${args.length - 1}::text[], $${args.length}::bigint[]) AS m(subject_id, up_to) WHERE m.subject_id = events.subject_id)`,
    );
  } else if (units !== 'all') {
    args.push(units);
    where.push(`(scope_unit_id = ANY($${args.length}::text[]) OR moved_from_unit_id = ANY($${args.length}::text[]))`);
  }
  args.push(limit);
  const { rows } = await pool.query<{ seq: string; body: string; author_id: string; received_at: string; scope_unit_id: string }>(
    `SELECT seq, body, author_id, received_at, scope_unit_id FROM events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${args.length}`,
    args,
  );
  return rows.map((r) => ({
    event: { ...(JSON.parse(r.body) as DomainEvent), seq: Number(r.seq), authorId: r.author_id, receivedAt: r.received_at } as StoredEvent,
    scopeUnitId: r.scope_unit_id,
  }));
}

/** Assigns the next $2 seq (row n gets the last one + n) and appends the rows; answers the last seq before them. */
const INSERT_EVENTS = `WITH counter AS (UPDATE sync_counter SET last_seq = last_seq + $2 WHERE id = 1 RETURNING last_seq - $2 AS before),
  inserted AS (INSERT INTO events (seq, id, type, subject_id, org_unit_id, occurred_at, author_id, device_id, received_at, body,
      scope_unit_id, moved_from_unit_id)
    SELECT counter.before + x.n, id, type, subject_id, org_unit_id, occurred_at, author_id, device_id, received_at, body, scope_unit_id, moved_from_unit_id
    FROM counter, jsonb_to_recordset($1::jsonb) AS x(n bigint, id text, type text, subject_id text, org_unit_id text, occurred_at text,
      author_id text, device_id text, received_at text, body text, scope_unit_id text, moved_from_unit_id text))
  SELECT before FROM counter`;

/**
 * Opens a push: its transaction, with the last seq committed before any of its reads. Every read
 * of a push is a lookup by key, and `enable_seqscan = off` holds the planner to the indexes where
 * a table has no statistics yet (autovacuum off, or not yet come round): on a log of 40,000 events
 * never analysed, `subject_id = ANY(500 ids)` was planned as a scan of the whole table, 12 ms a
 * push and growing with the log, against 0.5 ms through events_subject.
 */
export const PUSH_BEGIN = 'BEGIN; SET LOCAL enable_seqscan = off; SELECT last_seq FROM sync_counter WHERE id = 1';

/** Where each subject lives: the unit and type of its first event. */
export const SUBJECT_HOMES =
  'SELECT DISTINCT ON (subject_id) subject_id, org_unit_id, type FROM events WHERE subject_id = ANY($1::text[]) ORDER BY subject_id, seq';

/** The subjects' stored events, in seq order. */
export const SUBJECT_EVENTS = 'SELECT subject_id, body FROM events WHERE subject_id = ANY($1::text[]) ORDER BY seq';

/** Whether a push committed events of these subjects with a seq in ($1, $2]. */
const CONCURRENT_WRITE = 'SELECT 1 FROM events WHERE seq > $1 AND seq <= $2 AND subject_id = ANY($3::text[]) LIMIT 1';

const INSERT_QUARANTINE = `INSERT INTO quarantine (fingerprint, event_id, subject_id, org_unit_id, type, code, message, author_id, device_id, received_at, raw, raw_truncated)
  SELECT "fingerprint", "eventId", "subjectId", "orgUnitId", "type", "code", "message", "authorId", "deviceId", "receivedAt", "raw", CASE WHEN "rawTruncated" THEN 1 ELSE 0 END
  FROM jsonb_to_recordset($1::jsonb) AS x("fingerprint" text, "eventId" text, "subjectId" text, "orgUnitId" text, "type" text, "code" text,
    "message" text, "authorId" text, "deviceId" text, "receivedAt" text, "raw" text, "rawTruncated" boolean)
  ON CONFLICT (fingerprint) DO NOTHING`;

/**
 * For request k of $1: its unit's chain (part 0, by depth, as event-sql.ts orgChainSql walks it), the
 * committees under the chain's units (part 1) and the committee it named (part 2), in one round trip.
 */
const NUMBERING_CONTEXTS = `WITH RECURSIVE req AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(k integer, unit text, committee text)),
  chain(k, id, depth) AS (
    SELECT req.k, req.unit, 0 FROM req
    UNION ALL
    SELECT c.k, o.parent_id, c.depth + 1 FROM org_units o JOIN chain c ON o.id = c.id WHERE o.parent_id IS NOT NULL AND c.depth < 20
  ),
  parts AS (
    SELECT c.k, 0 AS part, c.depth, u.* FROM chain c JOIN org_units u ON u.id = c.id
    UNION ALL
    SELECT c.k, 1, 0, u.* FROM chain c JOIN org_units u ON u.parent_id = c.id AND u.kind = 'committee'
    UNION ALL
    SELECT req.k, 2, 0, u.* FROM req JOIN org_units u ON u.id = req.committee
  )
SELECT k, part, id, parent_id AS "parentId", kind, name, short_name AS "shortName" FROM parts ORDER BY k, part, depth`;

const UPSERTS = new Map<ProjectionTableName, string>(PROJECTION_TABLES.map((t) => [t.name, upsertSql(t)]));

/** The push port over one client inside BEGIN … COMMIT; `began` is the last seq committed before its first read. */
function pushTx(client: pg.PoolClient, began: number): PushTx {
  return {
    async eventBodies(ids) {
      if (!ids.length) return new Map();
      const { rows } = await client.query<{ id: string; body: string }>('SELECT id, body FROM events WHERE id = ANY($1::text[])', [ids]);
      return new Map(rows.map((r) => [r.id, r.body] as const));
    },
    async subjectHomes(subjectIds) {
      if (!subjectIds.length) return new Map();
      const { rows } = await client.query<{ subject_id: string; org_unit_id: string; type: string }>(SUBJECT_HOMES, [subjectIds]);
      return new Map(rows.map((r) => [r.subject_id, { orgUnitId: r.org_unit_id, type: r.type }] as const));
    },
    async subjectEvents(subjectIds) {
      const { rows } = await client.query<{ subject_id: string; body: string }>(SUBJECT_EVENTS, [subjectIds]);
      const out = new Map<string, DomainEvent[]>();
      for (const r of rows) {
        const list = out.get(r.subject_id) ?? [];
        list.push(JSON.parse(r.body) as DomainEvent);
        out.set(r.subject_id, list);
      }
      return out;
    },
    async numberingContexts(requests) {
      const { rows } = await client.query<OrgRow & { k: number; part: number }>(NUMBERING_CONTEXTS, [
        JSON.stringify(requests.map((r, k) => ({ k, unit: r.orgUnitId, committee: r.committeeId ?? null }))),
      ]);
      const out: NumberingContext[] = requests.map(() => ({ explicit: undefined, chain: [], committees: [] }));
      for (const { k, part, ...unit } of rows) {
        const ctx = out[k]!;
        if (part === 0) ctx.chain.push(unit);
        else if (part === 1) ctx.committees.push(unit);
        else ctx.explicit = unit;
      }
      return out;
    },
    async reserveCaseSequences(requests) {
      const { rows } = await client.query<{ committeeId: string; year: number; lastSequence: string }>(
        `INSERT INTO case_number_counters (committee_id, year, last_sequence)
         SELECT "committeeId", year, count FROM jsonb_to_recordset($1::jsonb) AS x("committeeId" text, year integer, count integer)
         ON CONFLICT (committee_id, year) DO UPDATE SET last_sequence = case_number_counters.last_sequence + excluded.last_sequence
         RETURNING committee_id AS "committeeId", year, last_sequence AS "lastSequence"`,
        [JSON.stringify(sortedBy(requests, (r) => `${r.committeeId}\n${r.year}`))],
      );
      const counts = new Map(requests.map((r) => [`${r.committeeId}\n${r.year}`, r.count]));
      return rows.map((r): CaseCounter => ({
        committeeId: r.committeeId,
        year: Number(r.year),
        lastSequence: Number(r.lastSequence) - counts.get(`${r.committeeId}\n${r.year}`)!,
      }));
    },
    async raiseCaseCounters(numbers) {
      await client.query(
        `INSERT INTO case_number_counters (committee_id, year, last_sequence)
         SELECT "committeeId", year, "lastSequence" FROM jsonb_to_recordset($1::jsonb) AS x("committeeId" text, year integer, "lastSequence" integer)
         ON CONFLICT (committee_id, year) DO UPDATE SET last_sequence = GREATEST(case_number_counters.last_sequence, excluded.last_sequence)`,
        // In reserveCaseSequences' order of keys, one row per key: fewer deadlocks between pushes.
        [JSON.stringify(highestPerCounter(numbers))],
      );
    },
    async caseNumbersHeld(caseNumbers) {
      const { rows } = await client.query<{ case_number: string }>('SELECT case_number FROM case_projection WHERE case_number = ANY($1::text[])', [
        caseNumbers,
      ]);
      return new Set(rows.map((r) => r.case_number));
    },
    async sweepRows(subjectIds) {
      const { rows } = await client.query<SweepTotalsSource>(
        'SELECT subject_id, org_unit_id, year, month, households, disputes_found, zero_report, voided FROM sweep_projection WHERE subject_id = ANY($1::text[])',
        [subjectIds],
      );
      return new Map(rows.map((r) => [r.subject_id, r] as const));
    },
    async insertEvents(list) {
      const rows = list.map(({ event: e, body, authorId, receivedAt, scopeUnitId, movedFromUnitId }, i) => ({
        n: i + 1,
        id: e.id,
        type: e.type,
        subject_id: e.subjectId,
        org_unit_id: e.orgUnitId,
        occurred_at: e.occurredAt,
        author_id: authorId,
        device_id: e.deviceId,
        received_at: receivedAt,
        body,
        scope_unit_id: scopeUnitId ?? e.orgUnitId,
        moved_from_unit_id: movedFromUnitId ?? null,
      }));
      await client.query('SELECT pg_advisory_xact_lock($1)', [PUSH_LOCK]);
      let before: number;
      try {
        before = Number((await client.query<{ before: string }>(INSERT_EVENTS, [JSON.stringify(rows), list.length])).rows[0]!.before);
      } catch (err) {
        // Another push committed one of these ids after this one looked them up.
        if (isDuplicateEventId(err)) throw new ConcurrentPushError();
        throw err;
      }
      if (before > began) {
        const subjects = [...new Set(list.map((r) => r.event.subjectId))];
        if ((await client.query(CONCURRENT_WRITE, [began, before, subjects])).rows.length) throw new ConcurrentPushError();
      }
    },
    async insertQuarantine(rows) {
      // In batch order, which is qid order: the author's list shows them as sent.
      await client.query(INSERT_QUARANTINE, [JSON.stringify(rows)]);
    },
    async insertAttachmentRefs(refs) {
      await client.query(
        `INSERT INTO attachment_refs (sha256, event_id, org_unit_id) SELECT "sha256", "eventId", "orgUnitId"
         FROM jsonb_to_recordset($1::jsonb) AS x("sha256" text, "eventId" text, "orgUnitId" text) ON CONFLICT DO NOTHING`,
        [JSON.stringify(sortedBy(refs, (r) => `${r.sha256}\n${r.eventId}`))],
      );
    },
    async upsertProjections(table, rows) {
      await client.query(UPSERTS.get(table)!, [JSON.stringify(sortedBy(rows, (r) => String(r.subject_id)))]);
    },
    async replaceThemes(subjectIds, rows) {
      await client.query('DELETE FROM outreach_themes WHERE subject_id = ANY($1::text[])', [subjectIds]);
      if (!rows.length) return;
      await client.query(
        `INSERT INTO outreach_themes (subject_id, theme, org_unit_id, year, month, voided)
         SELECT subject_id, theme, org_unit_id, year, month, voided
         FROM jsonb_to_recordset($1::jsonb) AS x(subject_id text, theme text, org_unit_id text, year integer, month integer, voided integer) ON CONFLICT DO NOTHING`,
        [JSON.stringify(sortedBy(rows, (r) => `${r.subject_id}\n${r.theme}`))],
      );
    },
    async addSweepTotals(deltas) {
      await client.query(
        `INSERT INTO sweep_totals (year, org_unit_id, month, count, zero_reports, households, disputes_found)
         SELECT year, org_unit_id, month, count, zero_reports, households, disputes_found
         FROM jsonb_to_recordset($1::jsonb) AS x(year integer, org_unit_id text, month integer, count integer, zero_reports integer, households integer, disputes_found integer)
         ON CONFLICT (year, org_unit_id, month) DO UPDATE SET count = sweep_totals.count + excluded.count,
           zero_reports = sweep_totals.zero_reports + excluded.zero_reports, households = sweep_totals.households + excluded.households,
           disputes_found = sweep_totals.disputes_found + excluded.disputes_found`,
        [JSON.stringify(sortedBy(deltas, (d) => `${d.year}\n${d.org_unit_id}\n${d.month}`))],
      );
    },
    async leafFacts(subjects) {
      const { rows } = await client.query<RollupRow>(LEAF_FACTS, [subjects.case, subjects.outreach, subjects.sweep]);
      // bigint sums of one subject's row are small: numbers, as SQLite answers them.
      return rows.map((r) => ({ ...r, n: Number(r.n), v1: Number(r.v1), v2: Number(r.v2), v3: Number(r.v3) }));
    },
    async addStatsRollup(deltas) {
      await client.query(ADD_ROLLUP, [JSON.stringify(deltas)]);
    },
    async recordDevicePush(r) {
      await client.query(
        `INSERT INTO device_sync (device_id, user_id, org_unit_id, last_push_at, pending, clock_skew_ms, last_recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (device_id, user_id) DO UPDATE SET org_unit_id = coalesce(excluded.org_unit_id, device_sync.org_unit_id),
           last_push_at = excluded.last_push_at, pending = coalesce(excluded.pending, device_sync.pending),
           clock_skew_ms = coalesce(excluded.clock_skew_ms, device_sync.clock_skew_ms),
           last_recorded_at = coalesce(excluded.last_recorded_at, device_sync.last_recorded_at)`,
        [r.deviceId, r.userId, r.orgUnitId, r.at, r.pending, r.clockSkewMs, r.lastRecordedAt],
      );
    },
    async addPushUsage(subjects, day, events) {
      await client.query(
        `INSERT INTO usage_counters (subject, day, events, upload_bytes) SELECT s, $2, $3, 0 FROM unnest($1::text[]) AS s
         ON CONFLICT (subject, day) DO UPDATE SET events = usage_counters.events + excluded.events`,
        [[...subjects].sort(), day, events],
      );
    },
  };
}

/** One row per (committee, year), its highest sequence, sorted as reserveCaseSequences sorts. */
function highestPerCounter(numbers: readonly CaseCounter[]): CaseCounter[] {
  const byKey = new Map<string, CaseCounter>();
  for (const n of numbers) {
    const key = `${n.committeeId}\n${n.year}`;
    if ((byKey.get(key)?.lastSequence ?? 0) < n.lastSequence) byKey.set(key, n);
  }
  return sortedBy([...byKey.values()], (r) => `${r.committeeId}\n${r.year}`);
}

export function postgresEventStore(pool: pg.Pool): EventStore {
  return {
    async transactPush(fn) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        try {
          // One round trip: the transaction, its planner setting and the last seq committed before any of its reads.
          const results = (await client.query(PUSH_BEGIN)) as unknown as pg.QueryResult<{ last_seq: string }>[];
          const counter = results.at(-1);
          const out = await fn(pushTx(client, Number(counter!.rows[0]!.last_seq)));
          await client.query('COMMIT');
          return out;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          if (!(err instanceof ConcurrentPushError || isDeadlock(err)) || attempt === PUSH_ATTEMPTS) throw err;
        } finally {
          client.release();
        }
      }
    },

    async pullEvents(query) {
      return (await pullScopedRows(pool, query)).map((r) => r.event);
    },

    async pullScoped(query) {
      return pullScopedRows(pool, query);
    },

    async movesInto(units, afterSeq, limit) {
      const args: unknown[] = [afterSeq, limit];
      if (units !== 'all') args.push(units);
      const { rows } = await pool.query<{ subject_id: string; seq: string; scope_unit_id: string }>(
        `SELECT subject_id, seq, scope_unit_id FROM events WHERE moved_from_unit_id IS NOT NULL AND seq > $1
         ${units === 'all' ? '' : 'AND scope_unit_id = ANY($3::text[])'} ORDER BY seq LIMIT $2`,
        args,
      );
      return rows.map((r) => ({ subjectId: r.subject_id, seq: Number(r.seq), unitId: r.scope_unit_id }));
    },

    async getPullScope(tokenId) {
      const { rows } = await pool.query<{
        served: string;
        backfill_units: string | null;
        backfill_after: string | null;
        backfill_up_to: string | null;
        moves: string | null;
        offer: string | null;
      }>('SELECT served, backfill_units, backfill_after, backfill_up_to, moves, offer FROM pull_scopes WHERE token_id = $1', [tokenId]);
      const r = rows[0];
      if (!r) return undefined;
      return pullScopeOf(
        r.served,
        r.backfill_units,
        r.backfill_after === null ? null : Number(r.backfill_after),
        r.backfill_up_to === null ? null : Number(r.backfill_up_to),
        r.moves,
        r.offer,
      );
    },

    async savePullScope(tokenId, state, at) {
      await pool.query(
        `INSERT INTO pull_scopes (token_id, served, backfill_units, backfill_after, backfill_up_to, updated_at, moves, offer) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (token_id) DO UPDATE SET served = excluded.served, backfill_units = excluded.backfill_units,
           backfill_after = excluded.backfill_after, backfill_up_to = excluded.backfill_up_to, updated_at = excluded.updated_at, moves = excluded.moves,
           offer = excluded.offer`,
        [
          tokenId,
          JSON.stringify(state.served),
          state.backfill ? JSON.stringify(state.backfill.units) : null,
          state.backfill?.afterSeq ?? null,
          state.backfill?.upToSeq ?? null,
          at,
          state.moves ? JSON.stringify(state.moves) : null,
          state.offer ? JSON.stringify(state.offer) : null,
        ],
      );
    },

    async recordPull(deviceId, userId, orgUnitId, at) {
      await pool.query(
        `INSERT INTO device_sync (device_id, user_id, org_unit_id, last_pull_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (device_id, user_id) DO UPDATE SET org_unit_id = coalesce(excluded.org_unit_id, device_sync.org_unit_id), last_pull_at = excluded.last_pull_at`,
        [deviceId, userId, orgUnitId ?? null, at],
      );
    },

    async listDevices(units) {
      const filter = units === 'all' ? '' : 'WHERE org_unit_id = ANY($1::text[])';
      const { rows } = await pool.query<DeviceSyncStatus>(
        `SELECT device_id AS "deviceId", user_id AS "userId", org_unit_id AS "orgUnitId", last_push_at AS "lastPushAt", last_pull_at AS "lastPullAt",
           pending, clock_skew_ms AS "clockSkewMs", last_recorded_at AS "lastRecordedAt"
         FROM device_sync ${filter} ORDER BY coalesce(last_push_at, last_pull_at) DESC`,
        units === 'all' ? [] : [units],
      );
      return rows.map((r) => ({ ...r, clockSkewMs: r.clockSkewMs === null ? null : Number(r.clockSkewMs) }));
    },

    async listQuarantine({ authorId, units, limit }) {
      const ors: string[] = [];
      const args: unknown[] = [];
      if (authorId !== undefined) {
        args.push(authorId);
        ors.push(`author_id = $${args.length}`);
      }
      if (units === 'all') ors.push('TRUE');
      else if (units) {
        args.push(units);
        ors.push(`org_unit_id = ANY($${args.length}::text[])`);
      }
      if (!ors.length) return [];
      args.push(limit);
      const { rows } = await pool.query<Omit<QuarantinedEvent, 'rawTruncated' | 'qid' | 'resolved'> & { qid: string; rawTruncated: number; resolved: number }>(
        `SELECT qid, event_id AS "eventId", subject_id AS "subjectId", org_unit_id AS "orgUnitId", type, code, message, author_id AS "authorId",
           device_id AS "deviceId", received_at AS "receivedAt", raw, raw_truncated AS "rawTruncated",
           CASE WHEN code <> 'id_reuse' AND EXISTS (SELECT 1 FROM events e WHERE e.id = quarantine.event_id) THEN 1 ELSE 0 END AS resolved
         FROM quarantine WHERE ${ors.join(' OR ')} ORDER BY qid DESC LIMIT $${args.length}`,
        args,
      );
      return rows.map((r) => ({ ...r, qid: Number(r.qid), rawTruncated: r.rawTruncated === 1, resolved: r.resolved === 1 }));
    },

    async logHead() {
      const { rows } = await pool.query<{ n: string }>('SELECT coalesce(max(seq), 0) AS n FROM events');
      return Number(rows[0]!.n);
    },

    async unitHeadsAfter(afterSeq) {
      const { rows } = await pool.query<{ org_unit_id: string; seq: string }>(
        // The units the events are pulled under (a moved case's: where it is now, and where it left).
        `SELECT u AS org_unit_id, max(seq) AS seq FROM (
           SELECT scope_unit_id AS u, seq FROM events WHERE seq > $1
           UNION ALL SELECT moved_from_unit_id, seq FROM events WHERE seq > $1 AND moved_from_unit_id IS NOT NULL
         ) h GROUP BY u`,
        [afterSeq],
      );
      return rows.map((r) => ({ orgUnitId: r.org_unit_id, seq: Number(r.seq) }));
    },

    async hasAttachmentRef(sha256, units) {
      const { rows } =
        units === 'all'
          ? await pool.query('SELECT 1 FROM attachment_refs WHERE sha256 = $1 LIMIT 1', [sha256])
          : await pool.query('SELECT 1 FROM attachment_refs WHERE sha256 = $1 AND org_unit_id = ANY($2::text[]) LIMIT 1', [sha256, units as readonly string[]]);
      return rows.length > 0;
    },

    async statsAggregates({ year, fromMonth, toMonth }) {
      // One client, one REPEATABLE READ snapshot: five queries on the pool each saw other commits,
      // and summaries taken during pushes showed states that never existed (closed > accepted).
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const q = async <T>(sql: string): Promise<T[]> => (await client.query(sql, [year, fromMonth, toMonth])).rows as T[];
        const out: StatsAggregates = {
          accepted: await q(STATS_SQL.accepted),
          closed: await q(STATS_SQL.closed),
          outreach: await q(STATS_SQL.outreach),
          outreachThemes: await q(STATS_SQL.outreachThemes),
          sweeps: await q(STATS_SQL.sweeps),
          seq: Number((await client.query<{ n: string }>('SELECT coalesce(max(seq), 0) AS n FROM events')).rows[0]?.n ?? 0),
        };
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },

    async statsRollup({ year, fromMonth, toMonth, orgUnitId, children }) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const rows = (await client.query<RollupReadRow>(ROLLUP_READ_SQL, [year, fromMonth, toMonth, orgUnitId])).rows;
        const kids = await client.query<StatsRollup['children'][number]>(
          `SELECT unit_id AS "unitId", fact, sum(n) AS n FROM stats_rollup
           WHERE year = $1 AND unit_id = ANY($4::text[]) AND fact IN ('resolved', 'sessions') AND month BETWEEN $2 AND $3
           GROUP BY unit_id, fact HAVING sum(n) <> 0`,
          [year, fromMonth, toMonth, children],
        );
        await client.query('COMMIT');
        return { rows, children: kids.rows };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },

    async dumpProjections() {
      const all = async (sql: string) => (await pool.query<Record<string, unknown>>(sql)).rows;
      const dump: ProjectionDump = {
        cases: await all('SELECT * FROM case_projection ORDER BY subject_id'),
        outreach: await all('SELECT * FROM outreach_projection ORDER BY subject_id'),
        outreachThemes: await all('SELECT * FROM outreach_themes ORDER BY subject_id, theme'),
        sweeps: await all('SELECT * FROM sweep_projection ORDER BY subject_id'),
        sweepTotals: await all('SELECT * FROM sweep_totals WHERE count <> 0 ORDER BY year, org_unit_id, month'),
      };
      return dump;
    },
  };
}
