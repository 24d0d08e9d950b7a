// The protocol version on the wire (design.md "Sync contract"). Every app request names the
// version it speaks in PROTOCOL_HEADER; every API answer carries the server's version and
// the oldest it still serves. No header is version 1, what apps before the header spoke.
// Bump PROTOCOL_VERSION when a message changes shape; raise OLDEST_PROTOCOL_VERSION only
// when the server stops answering the old shapes.

export const PROTOCOL_HEADER = 'X-Taizhang-Protocol';
/** On answers: the oldest app version the server still serves; an app below it must update. */
export const PROTOCOL_MIN_HEADER = 'X-Taizhang-Protocol-Min';

export const PROTOCOL_VERSION = 2;
export const OLDEST_PROTOCOL_VERSION = 1;
/** What a request without the header speaks. */
const UNVERSIONED_PROTOCOL = 1;

export const CLIENT_OUTDATED_MESSAGE = '应用版本过旧，请更新后再同步';

/** The version a request header names: undefined for a value that is not a version number. */
export function parseProtocolVersion(header: string | null | undefined): number | undefined {
  if (header === null || header === undefined) return UNVERSIONED_PROTOCOL;
  const trimmed = header.trim();
  return /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : undefined;
}
