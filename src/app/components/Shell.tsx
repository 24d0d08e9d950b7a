// The frame around every screen: the header (app name, current screen, the account button,
// the sync status that src/app/sync mounts there, the update banner) and the bottom navigation
// 首页/案件/普法/排查; office staff and admins get the desk layout on a wide screen (DeskNav.tsx).
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { applyUpdate, offlineReady, updateWaiting } from '../pwa/service-worker.ts';
import { updateRequired } from '../net/update.ts';
import { AccountMenu, orgUnitLabel } from '../session/index.ts';
import { afterFirstScreen } from '../first-screen.ts';
import { lazyPart } from './lazy-part.tsx';
import { UpdateRequired } from './UpdateRequired.tsx';
import { hasOfficeRole } from '../screens/Office/access.ts';
import { hasAdminRole } from '../screens/Admin/access.ts';
import { SetupPrompt } from '../screens/Admin/SetupPrompt.tsx';
import { isDeskUser } from './desk-user.ts';
import './desk.css';
import { mayRecordAnywhere } from '../session/may-record.ts';

// The sync header is a lazy chunk with the engine, loaded once the first screen is shown; until
// then a bar of its height holds its place, so nothing below it moves when it comes.
const SyncStatus = lazyPart(
  () => afterFirstScreen().then(() => import('../sync/SyncStatus.tsx').then((m) => m.SyncStatus)),
  () => <section class="sync-status sync-placeholder" aria-label="同步状态" />,
);

// The desk's side navigation is for office staff and admins only: a phone never loads it. Its
// empty column holds the place until it comes.
const DeskNav = lazyPart(
  () => import('./DeskNav.tsx').then((m) => m.DeskNav),
  () => <nav class="desk-nav" aria-label="桌面导航" />,
);

const TABS = [
  { href: '/', label: '首页', match: (p: string) => p === '/' },
  { href: '/cases', label: '案件', match: (p: string) => p.startsWith('/cases') },
  { href: '/outreach', label: '普法', match: (p: string) => p.startsWith('/outreach') },
  { href: '/sweep', label: '排查', match: (p: string) => p.startsWith('/sweep') },
] as const;

/** The screen's name for the header, from the path. */
function screenTitle(path: string): string {
  if (path === '/cases/new') return '登记案件';
  if (/^\/cases\/[^/]+\/print\//.test(path)) return '打印';
  if (/^\/cases\/[^/]+/.test(path)) return '案件详情';
  if (path.startsWith('/cases')) return '案件';
  if (path === '/outreach/new') return '登记普法活动';
  if (path.startsWith('/outreach')) return '普法';
  if (path.startsWith('/sweep')) return '排查';
  if (path.startsWith('/about')) return '关于本机';
  if (path.startsWith('/sync-log')) return '同步记录';
  if (path.startsWith('/office')) return '统计';
  if (path.startsWith('/admin')) return '管理';
  return '首页';
}

export function Shell(props: { children: ComponentChildren }) {
  const { path } = useLocation();
  const title = screenTitle(path);
  const desk = isDeskUser();
  return (
    <div class={desk ? 'shell desk' : 'shell'}>
      <header class="app-header">
        <div class="app-title">
          <h1>法治台账</h1>
          <span class="screen-name" aria-label="当前页面">
            {title}
          </span>
          <AccountMenu />
        </div>
        <SyncStatus describeOrgUnit={orgUnitLabel} />
        <UpdateRequired />
        {updateWaiting.value && !updateRequired.value && (
          <button type="button" class="update-banner" onClick={() => void applyUpdate()}>
            有新版本，点击更新
          </button>
        )}
        {offlineReady.value && !updateWaiting.value && (
          <p role="status" class="offline-ready">
            可离线使用
          </p>
        )}
      </header>
      {desk && <DeskNav path={path} />}
      <main class="screen">
        <SetupPrompt />
        {props.children}
      </main>
      <nav class="bottom-nav" aria-label="主导航">
        {TABS.filter((t) => t.href !== '/sweep' || mayRecordAnywhere()).map((t) => (
          <a key={t.href} href={t.href} aria-current={t.match(path) ? 'page' : undefined}>
            {t.label}
          </a>
        ))}
        {hasOfficeRole() && (
          <a href="/office" aria-current={path.startsWith('/office') ? 'page' : undefined}>
            统计
          </a>
        )}
        {hasAdminRole() && (
          <a href="/admin" aria-current={path.startsWith('/admin') ? 'page' : undefined}>
            管理
          </a>
        )}
      </nav>
    </div>
  );
}
