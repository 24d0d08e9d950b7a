// How a sentence names the deployment's time zone. Apart from time.ts, which the phone loads
// before its first screen: only the office's printed pages say it.
import { DEFAULT_TIME_ZONE } from './time.ts';

// The names the zone of China's standard time goes by (the tz database keeps the old city zones as links to it).
const BEIJING_TIME_ZONES = new Set([DEFAULT_TIME_ZONE, 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'PRC']);

/** The zone as a sentence names it: 北京时间 for China's standard time, else the zone's own name. */
export function timeZoneWording(timeZone: string): string {
  return BEIJING_TIME_ZONES.has(timeZone) ? '北京时间' : `${timeZone}时区`;
}
