import type pg from 'pg';
import type { AccountStore } from '../account-store.ts';

export function postgresAccountStore(_pool: pg.Pool): AccountStore {
  return {};
}
