// GET /api/devices (office and admin): each device's sync status per user — last push, last
// pull, how many records wait in its outbox, and whether its clock is off by more than a day —
// for the devices whose user works in the caller's units (admin: all).
import { Hono } from 'hono';
import type { DevicesStatusResponse } from '#shared/api/devices';
import { requireRole, requireUser } from '../access/middleware.ts';
import type { AppEnv } from '../http/env.ts';
import type { Store } from '../storage/store.ts';
import { CLOCK_SKEW_LIMIT_MS, unitFilterOf } from './sync.ts';

export function deviceRoutes({ store, clock }: { store: Store; clock: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', requireUser(store, { clock }), requireRole('office', 'admin'), async (c) => {
    const [rows, users] = await Promise.all([store.listDevices(unitFilterOf(c.var.scope)), store.listUsers()]);
    const names = new Map(users.map((u) => [u.id, u] as const));
    const devices = rows.map((d) => ({
      ...d,
      username: names.get(d.userId)?.username ?? null,
      displayName: names.get(d.userId)?.displayName ?? null,
      clockSkewed: d.clockSkewMs !== null && Math.abs(d.clockSkewMs) > CLOCK_SKEW_LIMIT_MS,
    }));
    return c.json<DevicesStatusResponse>({ devices });
  });
  return app;
}
