// The phone's storage (IndexedDB 'taizhang'): import from here, not from the files. Only code
// on the start path (the entry, first-screen.ts, the session, the form hooks) imports the few
// files it needs: the start chunk must not hold the event schemas and the write path.
export { openDb, closeDb, DB_NAME, type TaizhangDb, type SubjectRecord, type DraftRecord, type BlobRecord } from './db.ts';
export { storageChanged, storageProblems } from './changes.ts';
export { readMeta, getCursor, getGeneration, getPullResume } from './meta.ts';
export { startOver } from './start-over.ts';
export { recordEvents, applyPulled, getEvents, getRecord, listRecords, rebuildRecordsIfStale, InvalidEventError, type NewEvent } from './records.ts';
export { pendingOutbox, rejectedOutbox, listOutbox, countOutbox, ackOutbox, retryRejected, exportOutbox } from './outbox.ts';
export { pendingBlobs, markBlobUploaded, getBlob } from './blobs.ts';
export { saveDraft, loadDraft, listDrafts } from './drafts.ts';
export { getDeviceId, wipeDevice, requestPersistence, persistence } from './device.ts';
export {
  queryCases,
  CASE_PAGE_SIZE,
  CASE_FIRST_ROWS,
  dueWorkUntil,
  overdueCases,
  casesOpenedSince,
  caseUnits,
  casesFromSweeps,
  type CasePage,
  type CaseQuery,
  type DueFilter,
  type DueWork,
} from './case-queries.ts';
export type { CaseSummary } from './summaries.ts';
