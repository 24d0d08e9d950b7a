// Photo files, content-addressed: DATA_DIR/attachments/ab/cd/<sha256>. A file appears under
// its name only complete and verified: bytes are hashed in memory, written to a temp file,
// fsynced, renamed into place and the directory fsynced, so a crash or a dropped upload
// leaves either nothing or the whole file. The SQLite store keeps photos this way; the
// PostgreSQL store keeps them in a table and reads files only for photos stored before that.
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export interface AttachmentFiles {
  has(sha256: string): boolean;
  /** 'created', 'held' when the same bytes were already there, or 'hash_mismatch'. */
  put(sha256: string, bytes: Uint8Array): 'created' | 'held' | 'hash_mismatch';
  read(sha256: string): Uint8Array | undefined;
  remove(sha256: string): void;
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function attachmentFiles(dataDir: string): AttachmentFiles {
  const root = path.join(dataDir, 'attachments');
  const tmp = path.join(root, 'tmp');
  mkdirSync(tmp, { recursive: true });
  // Leftovers of uploads cut by a crash: never visible under a hash name, safe to drop.
  for (const name of readdirSync(tmp)) rmSync(path.join(tmp, name), { force: true });
  const fileOf = (sha: string) => path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha);

  return {
    has: (sha) => existsSync(fileOf(sha)),
    put(sha, bytes) {
      if (createHash('sha256').update(bytes).digest('hex') !== sha) return 'hash_mismatch';
      const target = fileOf(sha);
      if (existsSync(target)) return 'held';
      const temp = path.join(tmp, `${randomUUID()}.part`);
      const fd = openSync(temp, 'wx');
      try {
        try {
          let off = 0;
          while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        mkdirSync(path.dirname(target), { recursive: true });
        // Two uploads of the same photo at once both end here: rename is atomic, either one wins.
        renameSync(temp, target);
      } catch (err) {
        // A write cut by a full disk leaves its part file, which would hold the space until the next start.
        rmSync(temp, { force: true });
        throw err;
      }
      fsyncDir(path.dirname(target));
      return 'created';
    },
    read(sha) {
      const f = fileOf(sha);
      return existsSync(f) ? readFileSync(f) : undefined;
    },
    remove(sha) {
      rmSync(fileOf(sha), { force: true });
    },
  };
}

/** The type the bytes are (from their signature): an upload must be what it says, and is served back as what it is. */
export function sniffImageType(bytes: Uint8Array): AttachmentType | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}
