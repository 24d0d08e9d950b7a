// SQLite implementation of the attachment store (see attachment-store.ts): bytes as files in
// DATA_DIR (services/attachments.ts), uploads and usage counters in tables.
import type Database from 'better-sqlite3';
import { attachmentFiles } from '../../services/attachments.ts';
import type { AttachmentStore, Usage } from '../attachment-store.ts';

export function sqliteAttachmentStore(db: Database.Database, dataDir: string): AttachmentStore {
  const files = attachmentFiles(dataDir);
  const s = {
    insertUpload: db.prepare('INSERT OR IGNORE INTO attachment_uploads (sha256, user_id, device_key, size, uploaded_at) VALUES (?, ?, ?, ?, ?)'),
    hasUpload: db.prepare('SELECT 1 FROM attachment_uploads WHERE sha256 = ? AND user_id = ?').pluck(),
    addUsage: db.prepare(
      'INSERT INTO usage_counters (subject, day, events, upload_bytes) VALUES (?, ?, ?, ?) ON CONFLICT (subject, day) DO UPDATE SET events = events + excluded.events, upload_bytes = upload_bytes + excluded.upload_bytes',
    ),
    usage: db.prepare('SELECT events, upload_bytes FROM usage_counters WHERE subject = ? AND day = ?'),
    unreferenced: db
      .prepare(
        `SELECT u.sha256 FROM attachment_uploads u
         WHERE NOT EXISTS (SELECT 1 FROM attachment_refs r WHERE r.sha256 = u.sha256)
         GROUP BY u.sha256 HAVING MAX(u.uploaded_at) < ?`,
      )
      .pluck(),
    deleteUploads: db.prepare('DELETE FROM attachment_uploads WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM attachment_refs r WHERE r.sha256 = ?)'),
  };
  const addUsage = (subjects: readonly string[], day: string, add: Usage) => {
    for (const subject of subjects) s.addUsage.run(subject, day, add.events, add.uploadBytes);
  };
  const readRule = (units: 'all' | readonly string[]) => {
    const inUnits = (col: string) => (units === 'all' ? '' : `AND ${col} IN (SELECT value FROM json_each(@units))`);
    return db
      .prepare(
        `SELECT 1 FROM attachment_refs r JOIN events e ON e.id = r.event_id
         WHERE r.sha256 = @sha ${inUnits('r.org_unit_id')}
           AND (EXISTS (SELECT 1 FROM attachment_uploads u WHERE u.sha256 = r.sha256 AND u.user_id = e.author_id)
             OR EXISTS (SELECT 1 FROM attachment_uploads u JOIN user_roles g ON g.user_id = u.user_id WHERE u.sha256 = r.sha256 ${inUnits('g.org_unit_id')}))
         LIMIT 1`,
      )
      .pluck();
  };
  const readAll = readRule('all');
  const readSome = readRule([]);

  return {
    async putAttachment(u) {
      // The file first (fsynced): an upload row never names bytes that are not there.
      const outcome = files.put(u.sha256, u.bytes);
      if (outcome === 'hash_mismatch') throw new Error('putAttachment: bytes do not hash to their name (the route checks this first)');
      try {
        db.transaction(() => {
          const fresh = s.insertUpload.run(u.sha256, u.userId, u.deviceKey, u.bytes.length, u.at.toISOString()).changes > 0;
          if (fresh) addUsage([`user:${u.userId}`, u.deviceKey], u.day, { events: 0, uploadBytes: u.bytes.length });
        })();
      } catch (err) {
        // A file no upload row names is never swept (a full disk refused the row): it goes with the answer.
        // Nothing else can have recorded it meanwhile: from put to here runs without a pause.
        if (outcome === 'created') files.remove(u.sha256);
        throw err;
      }
      return outcome;
    },
    async hasUploaded(sha, userId) {
      return s.hasUpload.get(sha, userId) !== undefined;
    },
    async hasAttachment(sha) {
      return files.has(sha);
    },
    async readAttachment(sha) {
      return files.read(sha);
    },
    async canReadAttachment(sha, units) {
      return (units === 'all' ? readAll.get({ sha }) : readSome.get({ sha, units: JSON.stringify(units) })) !== undefined;
    },
    async sweepUnreferencedAttachments(before) {
      const swept: string[] = [];
      for (const sha of s.unreferenced.all(before.toISOString()) as string[]) {
        // Named by an event pushed since the query: kept (the delete checks again, in one statement).
        if (s.deleteUploads.run(sha, sha).changes === 0) continue;
        files.remove(sha);
        swept.push(sha);
      }
      return swept;
    },
    async usageOf(subjects, day) {
      return subjects.map((subject) => {
        const row = s.usage.get(subject, day) as { events: number; upload_bytes: number } | undefined;
        return { events: row?.events ?? 0, uploadBytes: row?.upload_bytes ?? 0 };
      });
    },
    async addUsage(subjects, day, add) {
      db.transaction(() => addUsage(subjects, day, add))();
    },
  };
}
