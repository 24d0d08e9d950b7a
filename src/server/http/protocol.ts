// The protocol version on the wire (#shared/api/version, design.md "Sync contract"). Every API
// answer names the server's version and the oldest it serves. A request without the header
// speaks version 1 and is answered in version 1's shapes; one older than the oldest served is
// refused with 426 client_outdated before any route reads it, which apps of every version
// show as a refusal. A push from a version newer than this server cannot be read safely
// (fields it does not know would be dropped): it is refused, not half-applied.
import type { MiddlewareHandler } from 'hono';
import {
  CLIENT_OUTDATED_MESSAGE,
  OLDEST_PROTOCOL_VERSION,
  parseProtocolVersion,
  PROTOCOL_HEADER,
  PROTOCOL_MIN_HEADER,
  PROTOCOL_VERSION,
} from '#shared/api/version';
import { failure, sendFailure } from './errors.ts';

export function protocolVersion(): MiddlewareHandler {
  return async (c, next) => {
    c.header(PROTOCOL_HEADER, String(PROTOCOL_VERSION));
    c.header(PROTOCOL_MIN_HEADER, String(OLDEST_PROTOCOL_VERSION));
    const version = parseProtocolVersion(c.req.header(PROTOCOL_HEADER));
    if (version === undefined || version < OLDEST_PROTOCOL_VERSION) return sendFailure(c, failure(426, 'client_outdated', CLIENT_OUTDATED_MESSAGE));
    if (version > PROTOCOL_VERSION && c.req.method === 'POST' && c.req.path === '/api/sync/push') {
      return sendFailure(c, failure(409, 'protocol_unsupported', '服务器尚未升级，暂不能接收此版本应用的数据，稍后会自动重试'));
    }
    return next();
  };
}
