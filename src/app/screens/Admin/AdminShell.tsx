// The admin area's frame: the section tabs and the section for the current path. An admin
// whose tree is empty lands in the walk-through. Takes its data and navigation as props so
// that component tests can drive it without a server or a router. It sits inside the app
// shell's <main>, so it has none of its own (one main landmark per page).
import { useEffect, useRef } from 'preact/hooks';
import { AccountsScreen } from './AccountsScreen.tsx';
import { AdminContext, type AdminData } from './admin-data.ts';
import { AuditScreen } from './AuditScreen.tsx';
import { ErrorNote } from './Fields.tsx';
import { FirstRun } from './FirstRun.tsx';
import { OrgScreen } from './OrgScreen.tsx';
import './admin.css';

export type AdminSection = 'home' | 'setup' | 'org' | 'accounts' | 'audit';

const TABS: readonly { section: Exclude<AdminSection, 'home'>; label: string }[] = [
  { section: 'org', label: '组织架构' },
  { section: 'accounts', label: '账号' },
  { section: 'audit', label: '审计日志' },
  { section: 'setup', label: '设置向导' },
];

function sectionOf(path: string): AdminSection {
  const part = path.replace(/^\/admin\/?/, '').split('/')[0];
  return part === 'setup' || part === 'org' || part === 'accounts' || part === 'audit' ? part : 'home';
}

export function AdminShell(props: { data: AdminData; path: string; navigate: (url: string) => void }) {
  const { data } = props;
  useEffect(() => {
    void data.reloadUnits();
    void data.reloadUsers();
  }, [data]);

  const units = data.units.value;
  const section = sectionOf(props.path);
  // The admin's landing page: the walk-through when the tree is empty at first sight, the tree
  // otherwise. Decided once, so that creating the town does not yank the walk-through away.
  const landing = useRef<AdminSection | undefined>(undefined);
  if (landing.current === undefined && units !== undefined) landing.current = units.length === 0 ? 'setup' : 'org';
  const shown: AdminSection = section === 'home' ? (landing.current ?? 'org') : section;

  return (
    <AdminContext.Provider value={data}>
      <div class="admin">
        <header class="admin-header">
          <h2>管理</h2>
          <nav aria-label="管理">
            {TABS.map((t) => (
              <a key={t.section} href={`/admin/${t.section}`} aria-current={shown === t.section ? 'page' : undefined}>
                {t.label}
              </a>
            ))}
            <a href="/">返回首页</a>
          </nav>
        </header>
        <ErrorNote message={data.loadError.value} />
        {units === undefined ? (
          !data.loadError.value && <p class="admin-muted">正在读取…</p>
        ) : (
          <div class="admin-main">
            {shown === 'setup' && <FirstRun onFinish={() => props.navigate('/admin/org')} />}
            {shown === 'org' && <OrgScreen />}
            {shown === 'accounts' && <AccountsScreen />}
            {shown === 'audit' && <AuditScreen />}
          </div>
        )}
      </div>
    </AdminContext.Provider>
  );
}
