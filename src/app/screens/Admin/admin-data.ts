// The admin screens' shared state: the API client, and the org tree and accounts as the
// server last gave them. Every screen reloads through here after a change, so the tree, the
// role pickers and the walk-through always agree with the server.
import { signal, type Signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AdminApi, AdminUser, OrgUnit } from './api.ts';

export interface AdminData {
  api: AdminApi;
  /** undefined until the first load answers. */
  units: Signal<OrgUnit[] | undefined>;
  users: Signal<AdminUser[] | undefined>;
  loadError: Signal<string | undefined>;
  reloadUnits(): Promise<void>;
  reloadUsers(): Promise<void>;
}

export interface AdminDataHooks {
  /** The tree changed on the server (the session's cached units are then stale). */
  onUnitsChanged?: (units: OrgUnit[]) => void;
}

export function createAdminData(api: AdminApi, hooks: AdminDataHooks = {}): AdminData {
  const units = signal<OrgUnit[] | undefined>(undefined);
  const users = signal<AdminUser[] | undefined>(undefined);
  const loadError = signal<string | undefined>(undefined);
  return {
    api,
    units,
    users,
    loadError,
    async reloadUnits() {
      const r = await api.listOrgUnits();
      if (r.ok) {
        const before = units.value;
        units.value = r.value;
        if (before !== undefined && JSON.stringify(before) !== JSON.stringify(r.value)) hooks.onUnitsChanged?.(r.value);
      }
      loadError.value = r.ok ? undefined : r.message;
    },
    async reloadUsers() {
      const r = await api.listUsers();
      if (r.ok) users.value = r.value;
      loadError.value = r.ok ? undefined : r.message;
    },
  };
}

export const AdminContext = createContext<AdminData | null>(null);

export function useAdmin(): AdminData {
  const data = useContext(AdminContext);
  if (!data) throw new Error('useAdmin outside AdminContext');
  return data;
}
