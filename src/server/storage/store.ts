// The store contract: everything the API needs from a database, in parts owned by their own
// modules (events and projections; accounts, org tree and audit; office; returns; photos and
// budgets; the log's identity; statistics in one snapshot; 重大 acknowledgements and 以案定补).
// One implementation per database (storage/sqlite, storage/postgres); the server test suite
// runs the same tests against each.
import type { AccountStore } from './account-store.ts';
import type { AttachmentStore } from './attachment-store.ts';
import type { EventStore } from './event-store.ts';
import type { LogIdentityStore } from './log-identity-store.ts';
import type { OfficeStore } from './office-store.ts';
import type { ReturnsStore } from './returns-store.ts';
import type { SharedStateStore } from './shared-state-store.ts';
import type { StatsSnapshotStore } from './stats-snapshot-store.ts';
import type { SubsidyStore } from './subsidy-store.ts';

export interface Store
  extends EventStore, AccountStore, OfficeStore, ReturnsStore, SharedStateStore, AttachmentStore, LogIdentityStore, StatsSnapshotStore, SubsidyStore {
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
}
