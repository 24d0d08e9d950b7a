// The store contract: everything the API needs from a database. One implementation per
// file (sqlite.ts, postgres.ts); the server test suite runs against every implementation.
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
}
