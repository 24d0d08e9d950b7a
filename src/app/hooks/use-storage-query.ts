// Runs an IndexedDB query and runs it again after every committed write (storageChanged),
// so lists, counts and details follow saves, syncs and other tabs' writes of this page.
// At most one run is in flight per hook: writes that commit meanwhile (a first pull commits a
// page every few hundred milliseconds) are answered by one more run once it is back, not by a
// run each, which on a phone with thousands of cases would compete with the pull itself.
import { useEffect, useRef, useState } from 'preact/hooks';
import { storageChanged } from '../storage/changes.ts';

export function useStorageQuery<T>(query: () => Promise<T>, deps: readonly unknown[]): { data: T | undefined; error: string | undefined } {
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined }>({ data: undefined, error: undefined });
  const version = storageChanged.value;
  const running = useRef(false);
  const queued = useRef<(() => void) | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const run = () => {
      running.current = true;
      query()
        .then(
          (data) => live && setState({ data, error: undefined }),
          (e: unknown) => live && setState((s) => ({ data: s.data, error: e instanceof Error ? e.message : '读取本机数据失败' })),
        )
        .finally(() => {
          running.current = false;
          const next = queued.current;
          queued.current = undefined;
          next?.();
        });
    };
    if (running.current) queued.current = () => live && run();
    else run();
    return () => {
      live = false;
    };
    // `deps` are what the query reads besides storage (ids from the route, filters).
  }, [version, ...deps]);
  return state;
}
