// Moved to src/shared/api/ (sync.ts, auth.ts, errors.ts); kept so that '#shared/protocol'
// imports keep working while other branches still use them.
export { PushRequest, type PushResponse, type PushResult, type PushStatus, type PullResponse } from './api/sync.ts';
export { type LoginResponse, type SessionUser } from './api/auth.ts';
export { type ErrorAnswer as ApiError } from './api/errors.ts';
