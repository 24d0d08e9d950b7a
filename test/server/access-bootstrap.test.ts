// First run: an empty database gets an `admin`, with TAIZHANG_ADMIN_PASSWORD or a generated
// password printed once.
import { describe, expect, test } from 'vitest';
import { ensureFirstAdmin } from '../../src/server/bootstrap.ts';
import { startServer } from '../e2e/support/server.ts';
import { storeCases } from './support/stores.ts';

describe.each(storeCases())('first-run admin on $name', (storeCase) => {
  test('with TAIZHANG_ADMIN_PASSWORD: creates admin once, never prints the password', async () => {
    const { store, dispose } = await storeCase.open();
    try {
      const lines: string[] = [];
      expect(await ensureFirstAdmin(store, { adminPassword: 'admin-pass-123', log: (l) => lines.push(l) })).toEqual({ created: true });
      expect(lines.join('\n')).not.toContain('admin-pass-123');
      const admin = await store.findUserByUsername('admin');
      expect(admin).toMatchObject({ displayName: '管理员', disabled: false, roles: [{ role: 'admin', orgUnitId: null }] });
      expect(await ensureFirstAdmin(store, { adminPassword: 'other-pass-456', log: (l) => lines.push(l) })).toEqual({ created: false });
      expect(await store.countUsers()).toBe(1);
      await expect(ensureFirstAdmin(store, { adminPassword: 'short', log: () => {} })).resolves.toEqual({ created: false });
    } finally {
      await dispose();
    }
  });

  test('without it: a strong generated password, printed once', async () => {
    const { store, dispose } = await storeCase.open();
    try {
      const lines: string[] = [];
      const result = await ensureFirstAdmin(store, { adminPassword: undefined, log: (l) => lines.push(l) });
      expect(result.created).toBe(true);
      const password = result.created ? result.generatedPassword : undefined;
      expect(password).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      expect(lines.filter((l) => l.includes(password!))).toHaveLength(1);
      await expect(ensureFirstAdmin(store, { adminPassword: 'short', log: () => {} })).resolves.toEqual({ created: false });
    } finally {
      await dispose();
    }
  });

  test('a too-short TAIZHANG_ADMIN_PASSWORD on an empty database is refused', async () => {
    const { store, dispose } = await storeCase.open();
    try {
      await expect(ensureFirstAdmin(store, { adminPassword: 'short', log: () => {} })).rejects.toThrow(/at least 8/);
      expect(await store.countUsers()).toBe(0);
      // A weak one (the shared rule of src/shared/passwords.ts) too.
      for (const weak of ['12345678', 'password', 'admin123', 'admin2024']) {
        await expect(ensureFirstAdmin(store, { adminPassword: weak, log: () => {} })).rejects.toThrow(/TAIZHANG_ADMIN_PASSWORD: .*密码/);
      }
      expect(await store.countUsers()).toBe(0);
    } finally {
      await dispose();
    }
  });
});

describe('first run of the real server', () => {
  test('prints a generated password once; it logs in; a restart prints nothing new', async () => {
    const server = await startServer({ TAIZHANG_ADMIN_PASSWORD: '' });
    try {
      const match = /初始密码：(\S+)/.exec(server.output());
      expect(match, server.output()).not.toBeNull();
      const password = match![1]!;
      const res = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(res.status).toBe(200);
      await server.kill();
      await server.restart();
      expect(server.output().match(/初始密码/g)).toHaveLength(1);
    } finally {
      await server.stop();
    }
  }, 90_000);
});
