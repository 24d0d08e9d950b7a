// The fault limits a deployment sets in the environment: PostgreSQL pool and timeouts, the
// shutdown grace period. Defaults when unset; a value that is not a positive whole number, or a
// push share that leaves reads no connection, stops the start with a message naming the variable.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POSTGRES_LIMITS, DEFAULT_SHUTDOWN_GRACE_MS, readConfig } from '../../src/server/config.ts';

describe('fault limits in the configuration', () => {
  it('has the documented defaults', () => {
    const config = readConfig({});
    expect(config.postgres).toEqual({
      poolMax: 10,
      pushConnections: 4,
      statementTimeoutMs: 30_000,
      lockTimeoutMs: 5_000,
      idleInTransactionTimeoutMs: 10_000,
      connectTimeoutMs: 5_000,
    });
    expect(config.postgres).toEqual(DEFAULT_POSTGRES_LIMITS);
    expect(config.shutdownGraceMs).toBe(10_000);
    expect(DEFAULT_SHUTDOWN_GRACE_MS).toBe(10_000);
  });

  it('reads each from its variable', () => {
    const config = readConfig({
      TAIZHANG_PG_POOL_MAX: '20',
      TAIZHANG_PG_PUSH_CONNECTIONS: '3',
      TAIZHANG_PG_STATEMENT_TIMEOUT_MS: '60000',
      TAIZHANG_PG_LOCK_TIMEOUT_MS: '2000',
      TAIZHANG_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: '4000',
      TAIZHANG_PG_CONNECT_TIMEOUT_MS: '1500',
      TAIZHANG_SHUTDOWN_GRACE_MS: '25000',
    });
    expect(config.postgres).toEqual({
      poolMax: 20,
      pushConnections: 3,
      statementTimeoutMs: 60_000,
      lockTimeoutMs: 2_000,
      idleInTransactionTimeoutMs: 4_000,
      connectTimeoutMs: 1_500,
    });
    expect(config.shutdownGraceMs).toBe(25_000);
  });

  it('refuses a value that is not a positive whole number', () => {
    expect(() => readConfig({ TAIZHANG_PG_LOCK_TIMEOUT_MS: '5s' })).toThrow(/TAIZHANG_PG_LOCK_TIMEOUT_MS/);
    expect(() => readConfig({ TAIZHANG_PG_POOL_MAX: '0' })).toThrow(/TAIZHANG_PG_POOL_MAX/);
    expect(() => readConfig({ TAIZHANG_SHUTDOWN_GRACE_MS: '-1' })).toThrow(/TAIZHANG_SHUTDOWN_GRACE_MS/);
  });

  it('refuses a push share that leaves reads no connection', () => {
    expect(() => readConfig({ TAIZHANG_PG_POOL_MAX: '4', TAIZHANG_PG_PUSH_CONNECTIONS: '4' })).toThrow(/TAIZHANG_PG_PUSH_CONNECTIONS/);
  });
});
