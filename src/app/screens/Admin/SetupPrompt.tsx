// A note on every screen for an admin whose org tree is still empty, pointing to the
// walk-through: a newcomer who logs in lands on 首页 and would otherwise not know where to
// start. Statically imported by the shell, so it stays tiny and loads nothing of the admin chunk.
import { useLocation } from 'preact-iso';
import { session } from '../../session/state.ts';
import { hasAdminRole } from './access.ts';

export function SetupPrompt() {
  const { path } = useLocation();
  const current = session.value;
  if (!current || !hasAdminRole() || current.orgUnits.length > 0 || path.startsWith('/admin')) return null;
  return (
    <p class="session-note" role="note">
      还没有建立组织架构，网格员和调解员还无法使用。<a href="/admin/setup">打开设置向导</a>，按步骤创建乡镇、村/社区、网格、调委会和账号。
    </p>
  );
}
