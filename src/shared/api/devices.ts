// GET /api/devices (office and admin): each device's sync status per user.
import * as v from 'valibot';

const DeviceStatus = v.object({
  deviceId: v.string(),
  userId: v.string(),
  orgUnitId: v.nullable(v.string()),
  lastPushAt: v.nullable(v.string()),
  lastPullAt: v.nullable(v.string()),
  pending: v.nullable(v.number()),
  clockSkewMs: v.nullable(v.number()),
  lastRecordedAt: v.nullable(v.string()),
  username: v.nullable(v.string()),
  displayName: v.nullable(v.string()),
  clockSkewed: v.boolean(),
});
export const DevicesStatusResponse = v.object({ devices: v.array(DeviceStatus) });
export type DevicesStatusResponse = v.InferOutput<typeof DevicesStatusResponse>;
