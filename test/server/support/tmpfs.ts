// A real small file system for disk-full tests: a tmpfs of a few megabytes mounted on a fresh
// directory, filled to the last block by a filler file (ENOSPC for whatever writes next) and
// freed again by deleting it. Mounting needs root; `tmpfsRefusal()` says why it cannot be had,
// so a test can print that reason and skip instead of passing silently.
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, ftruncateSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Tmpfs {
  /** The mount point. */
  dir: string;
  /** Writes a filler file until the file system refuses even a byte, then gives `leaveBytes` back. */
  fill(leaveBytes?: number): void;
  /** Deletes the filler: the space is free again. */
  free(): void;
  /** Bytes still free. */
  available(): number;
  /** Unmounts (lazily, should a file still be open) and removes the mount point. */
  unmount(): void;
}

function mount(dir: string, sizeMb: number): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
}

/** Why a tmpfs cannot be mounted here, or undefined when it can (tried once with a probe mount). */
export function tmpfsRefusal(): string | undefined {
  if (process.platform !== 'linux') return `tmpfs needs Linux, this is ${process.platform}`;
  if (process.getuid?.() !== 0) return `mounting a tmpfs needs root, this runs as uid ${process.getuid?.()}`;
  const probe = mkdtempSync(path.join(tmpdir(), 'taizhang-tmpfs-probe-'));
  try {
    mount(probe, 1);
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return `mount -t tmpfs was refused: ${(err as { stderr?: Buffer }).stderr?.toString().trim() || String(err)}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

export function mountTmpfs(sizeMb: number): Tmpfs {
  const dir = mkdtempSync(path.join(tmpdir(), 'taizhang-tmpfs-'));
  mount(dir, sizeMb);
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill(leaveBytes = 0) {
      const fd = openSync(filler, 'a');
      try {
        // Big chunks first, then ever smaller ones, down to one byte: nothing is left.
        for (let chunk = 1 << 20; chunk >= 1; chunk >>= 2) {
          const bytes = Buffer.alloc(chunk, 0x5a);
          for (;;) {
            try {
              writeSync(fd, bytes);
            } catch (err) {
              if ((err as { code?: string }).code !== 'ENOSPC') throw err;
              break;
            }
          }
        }
        if (leaveBytes > 0) ftruncateSync(fd, Math.max(0, fstatSync(fd).size - leaveBytes));
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    available() {
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    },
    unmount() {
      execFileSync('umount', ['--lazy', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
