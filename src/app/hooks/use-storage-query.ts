// Runs an IndexedDB query and runs it again after every committed write (storageChanged),
// so lists, counts and details follow saves, syncs and other tabs' writes of this page.
import { useEffect, useState } from 'preact/hooks';
import { storageChanged } from '../storage/changes.ts';

export function useStorageQuery<T>(query: () => Promise<T>, deps: readonly unknown[]): { data: T | undefined; error: string | undefined } {
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined }>({ data: undefined, error: undefined });
  const version = storageChanged.value;
  useEffect(() => {
    let live = true;
    query().then(
      (data) => live && setState({ data, error: undefined }),
      (e: unknown) => live && setState((s) => ({ data: s.data, error: e instanceof Error ? e.message : '读取本机数据失败' })),
    );
    return () => {
      live = false;
    };
    // `deps` are what the query reads besides storage (ids from the route, filters).
  }, [version, ...deps]);
  return state;
}
