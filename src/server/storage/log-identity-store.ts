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

/** The log's identity as a pull of one token needs it. */
interface PullIdentity extends LogIdentity {
  /** The generation this token was last answered a pull in; undefined before its first (or before migration 504). */
  servedGeneration: string | undefined;
}

export interface LogGeneration {
  generation: string;
  mintedAt: string;
  /** 'created', 'restore', 'failover' or what the operator wrote. */
  reason: string;
}

export interface LogIdentityStore {
  logIdentity(): Promise<LogIdentity>;
  /** The identity and the token's last served generation, in one read. */
  pullIdentity(tokenId: string): Promise<PullIdentity>;
  /** Records the generation the token was answered a pull in. */
  notePullGeneration(tokenId: string, generation: string): Promise<void>;
  /** Records a new current generation and returns it. */
  mintGeneration(reason: string): Promise<string>;
  /** Every generation the log has had, oldest first. */
  logGenerations(): Promise<LogGeneration[]>;
  /**
   * The key of the seal on the case numbers this server hands out (migration 560): it lives in
   * the database, so a restored backup still knows the numbers it made (services/case-number.ts).
   */
  caseNumberSealKey(): Promise<Buffer>;
}

/** The seal key from its stored hex, checked: a missing or short one is a broken migration, not a key. */
export function sealKeyOf(hex: string | undefined): Buffer {
  if (!hex || !/^[0-9a-f]{64}$/.test(hex)) throw new Error('server_secrets holds no case_number_seal: migration 560 did not run');
  return Buffer.from(hex, 'hex');
}

/** A new generation: 128 random bits in hex, as the migrations' first one. */
export function newGeneration(): string {
  return randomUUID().replaceAll('-', '');
}
