// How a valibot problem is said to a user, on the phone and in the server's answers: in Chinese,
// and never quoting the submitted value. Rejection messages are stored (quarantine) and shown to
// other roles than the author, so a name, phone or ID number must not ride along in them.
import type * as v from 'valibot';

const HAS_CHINESE = /[\u4e00-\u9fff]/;
/** Path keys that are the schema's own field names or list indices (a key a client made up may carry anything). */
const SAFE_KEY = /^(?:[A-Za-z_][A-Za-z0-9_]{0,63}|\d{1,6})$/;

/** The schema's own Chinese message, else a generic one: valibot's defaults quote the received value. */
export function issueMessage(issue: v.BaseIssue<unknown>): string {
  return HAS_CHINESE.test(issue.message) ? issue.message : '格式不对';
}

/** The dotted path of the problem's field, each key that is not a plain field name or index shown as '?'. */
export function issuePath(issue: v.BaseIssue<unknown>, prefix = ''): string {
  const keys = (issue.path ?? []).map((p) => {
    const key = String(p.key);
    return SAFE_KEY.test(key) ? key : '?';
  });
  return [prefix, ...keys].filter(Boolean).join('.');
}
