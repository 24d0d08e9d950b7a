// The desk layout's navigation for office staff and admins: at ≥ 1024 px (desk.css) the
// shell puts it down the left side and drops the phone's bottom tab bar; below that width
// it is hidden and the bottom bar serves as on a phone. Kept apart from Shell.tsx so the
// header's sync status and this layout change independently. A lazy chunk of the shell (a
// phone never shows it); the layout itself, desk.css, comes with the shell so nothing moves.
import { grantedUnits } from '#shared/access';
import { session } from '../session/state.ts';

interface DeskLink {
  href: string;
  label: string;
  match: (path: string) => boolean;
}

function linksFor(): DeskLink[] {
  const s = session.value;
  if (!s) return [];
  const roles = new Set(s.user.roles.map((g) => g.role));
  const records = grantedUnits(s.orgUnits, s.user.roles).recordable.size > 0;
  const out: DeskLink[] = [];
  if (records) out.push({ href: '/', label: '首页', match: (p) => p === '/' });
  if (roles.has('office') || roles.has('admin')) {
    out.push({ href: '/office', label: '统计', match: (p) => p === '/office' || p.startsWith('/office/records') || p.startsWith('/office/report') });
    out.push({ href: '/office/ledgers', label: '机关台账', match: (p) => p.startsWith('/office/ledgers') });
    out.push({ href: '/office/returns', label: '月报', match: (p) => p.startsWith('/office/returns') });
    out.push({ href: '/office/alerts', label: '重大预警', match: (p) => p.startsWith('/office/alerts') });
    out.push({ href: '/office/subsidy', label: '以案定补', match: (p) => p.startsWith('/office/subsidy') });
    out.push({ href: '/office/typical', label: '典型案例', match: (p) => p.startsWith('/office/typical') });
  }
  out.push({ href: '/cases', label: '案件', match: (p) => p.startsWith('/cases') });
  out.push({ href: '/outreach', label: '普法', match: (p) => p.startsWith('/outreach') });
  if (records) out.push({ href: '/sweep', label: '排查', match: (p) => p.startsWith('/sweep') });
  if (roles.has('admin')) out.push({ href: '/admin', label: '管理', match: (p) => p.startsWith('/admin') });
  out.push({ href: '/about', label: '关于本机', match: (p) => p.startsWith('/about') });
  return out;
}

export function DeskNav(props: { path: string }) {
  return (
    <nav class="desk-nav" aria-label="桌面导航">
      {linksFor().map((l) => (
        <a key={l.href} href={l.href} aria-current={l.match(props.path) ? 'page' : undefined}>
          {l.label}
        </a>
      ))}
    </nav>
  );
}
