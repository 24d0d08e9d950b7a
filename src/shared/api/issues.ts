// One Chinese sentence for a request that fails its schema: the server answers it as
// invalid_body, and the app's clients say the same before sending a request that would fail.
import type * as v from 'valibot';

const HAS_CHINESE = /[\u4e00-\u9fff]/;

/** A Chinese message for the first problem valibot found, prefixed with the field's path. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  if (!first) return '请求内容格式不对';
  const path = (first.path ?? []).map((p) => String(p.key)).join('.');
  const message = HAS_CHINESE.test(first.message) ? first.message : '格式不对';
  return path ? `${path}: ${message}` : message;
}
