// Reading case summaries for lists, by index: the case list's first screen is one ranged
// read and one count, a search a prefix read of the terms index; nothing here reads a whole
// record or an event. Filters the indexes cannot answer together are applied to the summaries
// of the one range an index narrows to.
import type { DueKind } from '#shared/fold/due';
import { openDb } from './db.ts';
import { matchesSummary, phoneDigits, type CaseFilter, type CaseSummary } from './summaries.ts';
import { inReadTx } from './tx.ts';

const KIND = 'case';
const all = () => IDBKeyRange.bound([KIND], [KIND, []]);
// Every string key of a prefix sorts below it followed by the highest code unit.
const prefixRange = (prefix: string) => IDBKeyRange.bound(prefix, `${prefix}\uffff`);
const dueRange = (until = '\uffff') => IDBKeyRange.bound([KIND, ''], [KIND, until]);

/** Rows a list reads and renders per page (the case list's first, then each 显示更多). */
export const CASE_PAGE_SIZE = 50;
/**
 * Rows of the case list's first screen, more than a phone shows below the filters: read (on a
 * start at 案件) and drawn first, the rest of the page after them. A summary carries every
 * suffix of its names and numbers: reading 50 at start costs more than the first screen needs.
 */
export const CASE_FIRST_ROWS = 12;

export type DueFilter = '' | 'due' | DueKind | 'overdue';

export interface CaseQuery extends CaseFilter {
  due: DueFilter;
  sort: 'opened' | 'due';
  /** The units a place filter lets through (a village and its grids); undefined: all. */
  units?: ReadonlySet<string>;
  /**
   * Also search the 纠纷简要情况, which no index holds: every case's text is scanned (the
   * caseTexts store, bare strings). Off, a search reads only the names, phones and case
   * numbers that match (the first answer on screen).
   */
  withAbout?: boolean;
}

interface CaseRow {
  summary: CaseSummary;
  /** The due work the row shows: the filter's kind, else the earliest. */
  due?: { kind: DueKind; date: string };
}

export interface CasePage {
  rows: CaseRow[];
  total: number;
}

function dueOf(s: CaseSummary, due: DueFilter): CaseRow['due'] {
  if (due === 'followup') return s.followupDue ? { kind: 'followup', date: s.followupDue } : undefined;
  if (due === 'performance') return s.performanceDue ? { kind: 'performance', date: s.performanceDue } : undefined;
  return s.dueDate && s.dueKind ? { kind: s.dueKind, date: s.dueDate } : undefined;
}

const newestFirst = (a: CaseSummary, b: CaseSummary) => a.newestFirst - b.newestFirst || (a.subjectId < b.subjectId ? -1 : 1);

function compareRows(sort: CaseQuery['sort']): (a: CaseRow, b: CaseRow) => number {
  if (sort === 'opened') return (a, b) => newestFirst(a.summary, b.summary);
  // Cases with due work first, the earliest first; the rest after, newest first.
  return (a, b) => {
    if (a.due && b.due && a.due.date !== b.due.date) return a.due.date < b.due.date ? -1 : 1;
    if (a.due && !b.due) return -1;
    if (b.due && !a.due) return 1;
    return newestFirst(a.summary, b.summary);
  };
}

/** The cases a list shows: the first `limit` rows in the list's order, and how many match. */
export async function queryCases(q: CaseQuery, limit: number, nowMs = Date.now()): Promise<CasePage> {
  const text = q.text.trim();
  const filtered = q.type !== '' || q.units !== undefined || q.status === 'pending' || text !== '';
  return inReadTx(['summaries', 'caseTexts'], async (tx) => {
    const store = tx.objectStore('summaries');
    // The common screens: one ranged read of the first page and a count, already in order.
    if (!filtered && q.due === '' && q.sort === 'opened') {
      const index = q.status ? store.index('byStatus') : store.index('byOpened');
      const range = q.status ? IDBKeyRange.bound([KIND, q.status], [KIND, q.status, []]) : all();
      const [page, total] = await Promise.all([index.getAll(range, limit), index.count(range)]);
      return { rows: page.map((summary) => ({ summary, due: dueOf(summary, '') })), total };
    }
    let candidates: CaseSummary[];
    if (text) {
      // A substring of a name, phone or case number is a prefix of one of their suffixes.
      const keys = new Set<string>();
      const digits = phoneDigits(text);
      for (const prefix of digits !== text ? [text, digits] : [text]) {
        for (const key of await store.index('byTerm').getAllKeys(prefixRange(prefix))) keys.add(key);
      }
      if (q.withAbout) {
        // The summary texts as bare strings, in key order like their keys: no summary is read to scan them.
        const texts = tx.objectStore('caseTexts');
        const [ids, abouts] = await Promise.all([texts.getAllKeys(), texts.getAll()]);
        abouts.forEach((about, i) => about.includes(text) && keys.add(ids[i]!));
      }
      candidates = (await Promise.all([...keys].map((key) => store.get(key)))).filter((s): s is CaseSummary => s !== undefined);
    } else if (q.due === 'followup' || q.due === 'performance' || q.due === 'due') {
      const name = q.due === 'followup' ? 'byFollowupDue' : q.due === 'performance' ? 'byPerformanceDue' : 'byDue';
      candidates = await store.index(name).getAll(dueRange());
    } else if (q.due === 'overdue') {
      candidates = await store.index('byOverdue').getAll(IDBKeyRange.bound([KIND, -Infinity], [KIND, nowMs]));
    } else if (q.status && q.status !== 'pending') {
      candidates = await store.index('byStatus').getAll(IDBKeyRange.bound([KIND, q.status], [KIND, q.status, []]));
    } else {
      candidates = await store.index('byOpened').getAll(all());
    }
    const rows: CaseRow[] = [];
    for (const s of candidates) {
      if (!matchesSummary(s, q, q.units, q.withAbout === true)) continue;
      if (q.due === 'overdue' && !(s.overdueFromMs !== undefined && s.overdueFromMs <= nowMs)) continue;
      const due = dueOf(s, q.due === 'overdue' ? '' : q.due);
      if ((q.due === 'due' || q.due === 'followup' || q.due === 'performance') && !due) continue;
      rows.push({ summary: s, due });
    }
    rows.sort(compareRows(q.sort));
    return { rows: rows.slice(0, limit), total: rows.length };
  });
}

export interface DueWork {
  kind: DueKind;
  date: string;
  summary: CaseSummary;
}

/** 回访 and 履行期限 falling due up to `until` (YYYY-MM-DD), overdue ones included, the earliest first. */
export async function dueWorkUntil(until: string): Promise<DueWork[]> {
  const db = await openDb();
  const [followups, performances] = await Promise.all([
    db.getAllFromIndex('summaries', 'byFollowupDue', dueRange(until)),
    db.getAllFromIndex('summaries', 'byPerformanceDue', dueRange(until)),
  ]);
  const items: DueWork[] = [
    ...followups.map((summary) => ({ kind: 'followup' as const, date: summary.followupDue ?? '', summary })),
    ...performances.map((summary) => ({ kind: 'performance' as const, date: summary.performanceDue ?? '', summary })),
  ];
  return items.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

/** Open cases more than 30 days past their acceptance (isOverdue), the longest open first. */
export async function overdueCases(nowMs = Date.now()): Promise<CaseSummary[]> {
  const db = await openDb();
  const found = await db.getAllFromIndex('summaries', 'byOverdue', IDBKeyRange.bound([KIND, -Infinity], [KIND, nowMs]));
  return found.sort((a, b) => a.openedMs - b.openedMs);
}

/** Cases registered (or first heard of) at or after `sinceMs`. */
export async function casesOpenedSince(sinceMs: number): Promise<CaseSummary[]> {
  const db = await openDb();
  return db.getAllFromIndex('summaries', 'byOpened', IDBKeyRange.bound([KIND, -Infinity], [KIND, -sinceMs]));
}

/** The units the phone's cases belong to now (for the place filter). */
export async function caseUnits(): Promise<string[]> {
  return inReadTx(['summaries'], async (tx) => {
    const out: string[] = [];
    let cursor = await tx.objectStore('summaries').index('byUnit').openKeyCursor(all(), 'nextunique');
    while (cursor) {
      out.push(cursor.key[1]);
      cursor = await cursor.continue();
    }
    return out;
  });
}

/** The cases registered from these sweeps (case.opened's sweepId). */
export async function casesFromSweeps(sweepIds: readonly string[]): Promise<CaseSummary[]> {
  return inReadTx(['summaries'], async (tx) => {
    const index = tx.objectStore('summaries').index('bySweep');
    return (await Promise.all(sweepIds.map((id) => index.getAll(id)))).flat();
  });
}
