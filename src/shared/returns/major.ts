// Whether a case counts as 重大矛盾纠纷 in the returns. The 重大 flag itself (set at registration
// or later, with its criteria and the alert to the office) belongs to the major-disputes work;
// until its field exists on the case state no case is major. This function is the one place
// the returns ask, so that work fills it in here and every return column follows.
import type { CaseState } from '../fold/case.ts';

export function isMajorCase(state: CaseState): boolean {
  // The major-disputes fold adds its flag to CaseState; read it without depending on its shape yet.
  return (state as { major?: unknown }).major === true;
}
