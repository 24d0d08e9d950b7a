import type Database from 'better-sqlite3';
import type { AccountStore } from '../account-store.ts';

export function sqliteAccountStore(_db: Database.Database): AccountStore {
  return {};
}
