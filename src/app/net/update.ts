// Whether the server has told this app that it is too old to sync (426 client_outdated, or
// an answer whose X-Taizhang-Protocol-Min is above this build's version). Once set, sync stops
// asking (the sync wiring hands the engine no credentials) and the header shows the update
// prompt; only loading a newer build clears it.
import { signal } from '@preact/signals';
import { PROTOCOL_MIN_HEADER, PROTOCOL_VERSION } from '#shared/api/version';

export const updateRequired = signal(false);

/** Reads an answer's protocol headers; `code` is the error code of a refusal, if any. */
export function noteServerProtocol(status: number, headers: Headers, code: string | undefined): void {
  const min = Number(headers.get(PROTOCOL_MIN_HEADER) ?? '');
  if ((status === 426 && code === 'client_outdated') || (Number.isInteger(min) && min > PROTOCOL_VERSION)) updateRequired.value = true;
}

/**
 * The session's credentials for a sync run, or none once an update is required: the engine
 * then ends the run as it does with nobody logged in and schedules nothing, so the phone stops
 * asking until the new version is loaded (which starts with the flag cleared).
 */
export function unlessUpdateRequired<T>(credentials: () => Promise<T | undefined>): Promise<T | undefined> {
  return updateRequired.value ? Promise.resolve(undefined) : credentials();
}
