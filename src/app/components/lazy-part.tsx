// A part of a screen that lives in a lazy chunk (precached by the service worker like every
// chunk, so it loads offline too): renders `fallback` until its module has loaded, then the
// part. Unlike preact-iso's lazy() it needs no Router or ErrorBoundary above it, so the
// session gate and the shell can use it. The module is fetched once, by the first render.
import { h, type ComponentType, type VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>, fallback: () => VNode | null = () => null): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  return function LazyPart(props: P) {
    const [, rerender] = useState(0);
    useEffect(() => {
      if (loaded) return undefined;
      let live = true;
      loading ??= load().then((c) => (loaded = c));
      // A chunk that fails to load leaves the fallback; the next render tries again.
      loading.then(
        () => live && rerender((n) => n + 1),
        () => {
          loading = undefined;
        },
      );
      return () => {
        live = false;
      };
    }, []);
    return loaded ? h(loaded, props) : fallback();
  };
}
