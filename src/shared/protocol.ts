// Moved to src/shared/api/ (sync.ts, auth.ts, errors.ts); kept so that '#shared/protocol'
// imports keep working while other branches still use them.
export { type PushResult } from './api/sync.ts';
