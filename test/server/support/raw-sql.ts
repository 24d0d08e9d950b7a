// Runs SQL on a test store's own database from outside the store (a second connection), to set
// up a real failure (a constraint, a trigger) that the code under test must meet as it would in
// production. Never used to read or fix what a test asserts on.
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { OpenedStore } from './stores.ts';

export async function execRaw(opened: OpenedStore, sql: string): Promise<void> {
  if (opened.store.kind === 'sqlite') {
    const db = new Database(path.join(opened.dataDir, 'taizhang.sqlite'));
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: opened.databaseUrl });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${opened.schema}`);
    await client.query(sql);
  } finally {
    await client.end();
  }
}
