// The admin area as a lazy chunk (App.tsx loads it with preact-iso lazy() on /admin/*):
// wires the admin screens to the session's token and the router. Capture screens never
// import this file, so phones that only record never download it.
import { useMemo } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { session } from '../../session/state.ts';
import { sessionController } from '../../session/instance.ts';
import { hasAdminRole } from './access.ts';
import { createAdminData } from './admin-data.ts';
import { createAdminApi } from './api.ts';
import { AdminShell } from './AdminShell.tsx';

export default function AdminScreen() {
  const location = useLocation();
  const data = useMemo(
    () =>
      createAdminData(
        createAdminApi({
          fetch: (input, init) => fetch(input, init),
          token: () => session.value?.token,
          onUnauthorized: () => void sessionController.endOnUnauthorized(),
        }),
        // The capture pickers and the setup prompt read the tree cached with the session.
        { onUnitsChanged: () => void sessionController.refresh(true) },
      ),
    [],
  );
  if (!hasAdminRole()) {
    return (
      <section class="admin-denied">
        <h1>没有权限</h1>
        <p>只有管理员可以使用管理页面。</p>
        <a href="/">返回首页</a>
      </section>
    );
  }
  return <AdminShell data={data} path={location.path} navigate={(url) => location.route(url)} />;
}
