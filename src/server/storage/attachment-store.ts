// Photos and what one client may cost: the bytes (files in DATA_DIR on SQLite; a table on
// PostgreSQL, so that every API process serves a photo uploaded through another), who uploaded
// each photo from which device (the read rule and the sweep of unreferenced uploads use it), and
// the per-day counters of pushed events and uploaded bytes per user and per device (the budgets).
import type { UnitFilter } from './event-store.ts';

interface NewUpload {
  sha256: string;
  mime: string;
  bytes: Uint8Array;
  userId: string;
  /** The budget subject of the uploading device ('device:<id>'). */
  deviceKey: string;
  at: Date;
  /** The local day the upload is charged to (YYYY-MM-DD). */
  day: string;
}

/** Who a budget counts: 'user:<id>' or 'device:<id>'. */
export type UsageSubject = string;

export interface Usage {
  events: number;
  uploadBytes: number;
}

export interface AttachmentStore {
  /**
   * Stores the bytes (once per photo) and the caller's upload of them; the upload's bytes are added
   * to the user's and the device's usage of the day only the first time this user uploads the photo.
   * 'created' when the bytes were new, 'held' when they were already there.
   */
  putAttachment(upload: NewUpload): Promise<'created' | 'held'>;
  /** Whether this user has uploaded the photo (a re-upload is not charged again). */
  hasUploaded(sha256: string, userId: string): Promise<boolean>;
  hasAttachment(sha256: string): Promise<boolean>;
  readAttachment(sha256: string): Promise<Uint8Array | undefined>;
  /**
   * The read rule (routes/attachments.ts): an event in these units names the photo, and either that
   * event's author uploaded it, or one of its uploaders holds a grant on one of these units.
   */
  canReadAttachment(sha256: string, units: UnitFilter): Promise<boolean>;
  /** Deletes the photos no event names whose every upload is older than `before`; returns their hashes. */
  sweepUnreferencedAttachments(before: Date): Promise<string[]>;

  usageOf(subjects: readonly UsageSubject[], day: string): Promise<Usage[]>;
  addUsage(subjects: readonly UsageSubject[], day: string, add: Usage): Promise<void>;
}
