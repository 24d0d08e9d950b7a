// The phone's storage (IndexedDB 'taizhang'): import from here, not from the files.
export { openDb, closeDb, DB_NAME, type TaizhangDb, type SubjectRecord, type DraftRecord, type BlobRecord } from './db.ts';
export { storageChanged, storageProblems, listenToOtherTabs } from './changes.ts';
export { readMeta, writeMeta, getCursor, getGeneration, getPullResume, META_SESSION } from './meta.ts';
export { startOver } from './start-over.ts';
export {
  recordEvents,
  validateNewEvent,
  applyPulled,
  getEvents,
  getRecord,
  listRecords,
  rebuildRecordsIfStale,
  InvalidEventError,
  type NewEvent,
} from './records.ts';
export { pendingOutbox, rejectedOutbox, listOutbox, countOutbox, ackOutbox, retryRejected, exportOutbox } from './outbox.ts';
export { pendingBlobs, markBlobUploaded, getBlob } from './blobs.ts';
export { saveDraft, loadDraft, deleteDraft, listDrafts } from './drafts.ts';
export { getDeviceId, wipeDevice, requestPersistence, persistence } from './device.ts';
export {
  queryCases,
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
