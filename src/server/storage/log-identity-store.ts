// The event log's identity (migration 503, table log_generations). A pull cursor is a position
// in one log; a restore from backup or a promoted replica is another log, whose tail may be
// shorter than what phones were answered and whose later seqs name other events. So the log
// has a generation, minted when the database is made and again by `npm run restore` (and by
// the failover SQL in docs/deploy.md); pull answers carry it, and a phone that sees a new one
// starts over from seq 0 and offers again every event of its own (design.md "Sync contract").
import { randomUUID } from 'node:crypto';

interface LogIdentity {
  /** The current generation: an opaque string, different for every database and every restore. */
  generation: string;
  /** The highest seq the log holds: a cursor above it was answered by another log. */
  lastSeq: number;
}

export interface LogGeneration {
  generation: string;
  mintedAt: string;
  /** 'created', 'restore', 'failover' or what the operator wrote. */
  reason: string;
}

export interface LogIdentityStore {
  logIdentity(): Promise<LogIdentity>;
  /** Records a new current generation and returns it. */
  mintGeneration(reason: string): Promise<string>;
  /** Every generation the log has had, oldest first. */
  logGenerations(): Promise<LogGeneration[]>;
}

/** A new generation: 128 random bits in hex, as the migrations' first one. */
export function newGeneration(): string {
  return randomUUID().replaceAll('-', '');
}
