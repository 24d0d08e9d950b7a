// A local date as the office and admin screens write it in a sentence. Apart from format.ts,
// which the phone loads before its first screen: no capture form says a date this way.

/** "2025年7月1日" from a local date (YYYY-MM-DD). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
