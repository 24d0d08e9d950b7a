// PostgreSQL implementation of the attachment store (see attachment-store.ts): the bytes in
// attachment_blobs, so that a photo uploaded through one API process is served by every other;
// files in DATA_DIR are read only for photos stored before the table existed.
import type pg from 'pg';
import { attachmentFiles } from '../../services/attachments.ts';
import type { AttachmentStore, Usage } from '../attachment-store.ts';

/** `dataDir`: where photos stored before attachment_blobs were kept as files, if anywhere. */
export function postgresAttachmentStore(pool: pg.Pool, dataDir: string | undefined): AttachmentStore {
  const legacy = dataDir === undefined ? undefined : attachmentFiles(dataDir);

  async function addUsage(db: pg.Pool | pg.PoolClient, subjects: readonly string[], day: string, add: Usage): Promise<void> {
    if (subjects.length === 0) return;
    await db.query(
      `INSERT INTO usage_counters (subject, day, events, upload_bytes) SELECT s, $2, $3, $4 FROM unnest($1::text[]) AS s
       ON CONFLICT (subject, day) DO UPDATE SET events = usage_counters.events + excluded.events, upload_bytes = usage_counters.upload_bytes + excluded.upload_bytes`,
      [subjects, day, add.events, add.uploadBytes],
    );
  }

  return {
    async putAttachment(u) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const blob = await client.query(
          'INSERT INTO attachment_blobs (sha256, mime, size, data, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING',
          [u.sha256, u.mime, u.bytes.length, Buffer.from(u.bytes.buffer, u.bytes.byteOffset, u.bytes.byteLength), u.at],
        );
        const upload = await client.query(
          'INSERT INTO attachment_uploads (sha256, user_id, device_key, size, uploaded_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
          [u.sha256, u.userId, u.deviceKey, u.bytes.length, u.at],
        );
        if ((upload.rowCount ?? 0) > 0) await addUsage(client, [`user:${u.userId}`, u.deviceKey], u.day, { events: 0, uploadBytes: u.bytes.length });
        await client.query('COMMIT');
        return (blob.rowCount ?? 0) > 0 ? 'created' : 'held';
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
    },
    async hasUploaded(sha, userId) {
      return ((await pool.query('SELECT 1 FROM attachment_uploads WHERE sha256 = $1 AND user_id = $2', [sha, userId])).rowCount ?? 0) > 0;
    },
    async hasAttachment(sha) {
      return ((await pool.query('SELECT 1 FROM attachment_blobs WHERE sha256 = $1', [sha])).rowCount ?? 0) > 0 || (legacy?.has(sha) ?? false);
    },
    async readAttachment(sha) {
      const { rows } = await pool.query<{ data: Buffer }>('SELECT data FROM attachment_blobs WHERE sha256 = $1', [sha]);
      return rows[0] ? new Uint8Array(rows[0].data) : (legacy?.read(sha) ?? undefined);
    },
    async canReadAttachment(sha, units) {
      const all = units === 'all';
      const inUnits = (col: string) => (all ? '' : `AND ${col} = ANY($2::text[])`);
      const { rowCount } = await pool.query(
        `SELECT 1 FROM attachment_refs r JOIN events e ON e.id = r.event_id
         WHERE r.sha256 = $1 ${inUnits('r.org_unit_id')}
           AND (EXISTS (SELECT 1 FROM attachment_uploads u WHERE u.sha256 = r.sha256 AND u.user_id = e.author_id)
             OR EXISTS (SELECT 1 FROM attachment_uploads u JOIN user_roles g ON g.user_id = u.user_id WHERE u.sha256 = r.sha256 ${inUnits('g.org_unit_id')}))
         LIMIT 1`,
        all ? [sha] : [sha, units],
      );
      return (rowCount ?? 0) > 0;
    },
    async sweepUnreferencedAttachments(before) {
      // One statement: a photo named by an event committed before it runs is kept.
      const { rows } = await pool.query<{ sha256: string }>(
        `WITH gone AS (
           SELECT u.sha256 FROM attachment_uploads u
           WHERE NOT EXISTS (SELECT 1 FROM attachment_refs r WHERE r.sha256 = u.sha256)
           GROUP BY u.sha256 HAVING MAX(u.uploaded_at) < $1
         ), uploads AS (
           DELETE FROM attachment_uploads WHERE sha256 IN (SELECT sha256 FROM gone) RETURNING sha256
         )
         DELETE FROM attachment_blobs WHERE sha256 IN (SELECT sha256 FROM gone) RETURNING sha256`,
        [before],
      );
      const swept = new Set(rows.map((r) => r.sha256));
      return [...swept];
    },
    async usageOf(subjects, day) {
      const { rows } = await pool.query<{ subject: string; events: string; upload_bytes: string }>(
        'SELECT subject, events, upload_bytes FROM usage_counters WHERE subject = ANY($1::text[]) AND day = $2',
        [subjects, day],
      );
      return subjects.map((subject) => {
        const row = rows.find((r) => r.subject === subject);
        return { events: Number(row?.events ?? 0), uploadBytes: Number(row?.upload_bytes ?? 0) };
      });
    },
    async addUsage(subjects, day, add) {
      await addUsage(pool, subjects, day, add);
    },
  };
}
