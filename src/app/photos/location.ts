// 留痕 location: asked for only when the worker taps 记录位置 (the browser then asks for
// permission), never in the background; the point is stored with the record it was taken for.
import type { GeoPoint } from '#shared/events';
import { nowIsoWithOffset } from '#shared/time';

export type LocationProblem = 'unsupported' | 'denied' | 'unavailable' | 'timeout';

export const LOCATION_PROBLEM_TEXT: Record<LocationProblem, string> = {
  unsupported: '这台手机的浏览器不能定位',
  denied: '未允许定位：可在浏览器设置中允许本网站使用位置，或不记录位置',
  unavailable: '暂时无法定位，请到开阔处再试',
  timeout: '定位超时，请再试一次',
};

export function requestLocation(timeoutMs = 20_000): Promise<{ ok: true; point: GeoPoint } | { ok: false; code: LocationProblem }> {
  if (typeof navigator === 'undefined' || !('geolocation' in navigator)) return Promise.resolve({ ok: false, code: 'unsupported' });
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({
          ok: true,
          point: {
            lat: Math.round(p.coords.latitude * 1e6) / 1e6,
            lng: Math.round(p.coords.longitude * 1e6) / 1e6,
            accuracy: Math.round(p.coords.accuracy),
            at: nowIsoWithOffset(new Date(p.timestamp)),
          },
        }),
      (e) => resolve({ ok: false, code: e.code === e.PERMISSION_DENIED ? 'denied' : e.code === e.TIMEOUT ? 'timeout' : 'unavailable' }),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}

/** "27.712345, 108.851234（±25 米）". */
export function locationText(p: GeoPoint): string {
  return `${p.lat.toFixed(6)}, ${p.lng.toFixed(6)}（±${p.accuracy} 米）`;
}
