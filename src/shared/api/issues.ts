// One Chinese sentence for a request that fails its schema: the server answers it as
// invalid_body, and the app's clients say the same before sending a request that would fail.
// Never quotes the submitted value (#shared/issues).
import type * as v from 'valibot';
import { issueMessage, issuePath } from '../issues.ts';

/** A Chinese message for the first problem valibot found, prefixed with the field's path. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  if (!first) return '请求内容格式不对';
  const path = issuePath(first);
  const message = issueMessage(first);
  return path ? `${path}: ${message}` : message;
}
