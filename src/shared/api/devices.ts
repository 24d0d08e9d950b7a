// GET /api/devices (office and admin): each device's sync status per user.
import * as v from 'valibot';

/** A device's sync bookkeeping as the server keeps it (device list, data-quality lists). */
export const DeviceSync = v.object({
  deviceId: v.string(),
  userId: v.string(),
  orgUnitId: v.nullable(v.string()),
  lastPushAt: v.nullable(v.string()),
  lastPullAt: v.nullable(v.string()),
  pending: v.nullable(v.number()),
  clockSkewMs: v.nullable(v.number()),
  lastRecordedAt: v.nullable(v.string()),
});

const DeviceStatus = v.object({
  ...DeviceSync.entries,
  username: v.nullable(v.string()),
  displayName: v.nullable(v.string()),
  clockSkewed: v.boolean(),
});
export const DevicesStatusResponse = v.object({ devices: v.array(DeviceStatus) });
export type DevicesStatusResponse = v.InferOutput<typeof DevicesStatusResponse>;
