// The phone's storage (IndexedDB 'taizhang'): import from here, not from the files.
export {
  openDb,
  closeDb,
  DB_NAME,
  DB_VERSION,
  type TaizhangDb,
  type LocalEvent,
  type SubjectRecord,
  type OutboxEntry,
  type OutboxStatus,
  type DraftRecord,
  type BlobRecord,
} from './db.ts';
export { storageChanged, storageProblems, listenToOtherTabs, type StorageProblem } from './changes.ts';
export { readMeta, writeMeta, deleteMeta, getCursor, META_SESSION } from './meta.ts';
export {
  recordEvents,
  validateNewEvent,
  applyPulled,
  getEvents,
  getRecord,
  listRecords,
  rebuildRecordsIfStale,
  headsOf,
  InvalidEventError,
  type NewEvent,
} from './records.ts';
export { pendingOutbox, rejectedOutbox, listOutbox, countOutbox, ackOutbox, retryRejected, exportOutbox } from './outbox.ts';
export { pendingBlobs, markBlobUploaded, getBlob } from './blobs.ts';
export { saveDraft, loadDraft, deleteDraft, listDrafts } from './drafts.ts';
export { getDeviceId, wipeDevice, requestPersistence, persistence, type Persistence } from './device.ts';
