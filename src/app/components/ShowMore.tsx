// Long lists render a page at a time: the first screen of a phone holding thousands of
// records costs the same as one holding fifty; 显示更多 adds the next page.
import { useState } from 'preact/hooks';

export function usePaged<T>(items: readonly T[], pageSize: number): { shown: readonly T[]; more: () => void; remaining: number } {
  const [pages, setPages] = useState(1);
  const shown = items.slice(0, pages * pageSize);
  return { shown, more: () => setPages((p) => p + 1), remaining: items.length - shown.length };
}

export function ShowMore(props: { remaining: number; unit: string; onMore: () => void }) {
  if (props.remaining <= 0) return null;
  return (
    <button type="button" class="secondary block" onClick={props.onMore}>
      显示更多（还有 {props.remaining} {props.unit}）
    </button>
  );
}
