// A part of a screen that lives in a lazy chunk (precached by the service worker like every
// chunk, so it loads offline too): renders `fallback` until its module has loaded, then the
// part. Unlike preact-iso's lazy() it needs no Router or ErrorBoundary above it, so the
// session gate and the shell can use it. The module is fetched once, by the first render or
// by `preload()` (a part that must show at once when it is needed later: the PIN screen).
import { h, type ComponentType, type VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export type LazyPart<P extends object> = ComponentType<P> & { preload(): Promise<void> };

export function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>, fallback: () => VNode | null = () => null): LazyPart<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  // A chunk that fails to load leaves the fallback; the next render (or preload) tries again.
  const start = () =>
    (loading ??= load().then(
      (c) => (loaded = c),
      (e: unknown) => {
        loading = undefined;
        throw e;
      },
    ));
  function LazyPart(props: P) {
    const [, rerender] = useState(0);
    useEffect(() => {
      if (loaded) return undefined;
      let live = true;
      start().then(
        () => live && rerender((n) => n + 1),
        () => undefined,
      );
      return () => {
        live = false;
      };
    }, []);
    return loaded ? h(loaded, props) : fallback();
  }
  LazyPart.preload = () => start().then(() => undefined);
  return LazyPart;
}
