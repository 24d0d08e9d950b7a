// A photo full screen: 关闭 (or Esc, or a tap outside the picture), 上一张/下一张 (or the arrow
// keys, or a swipe). The images are Blobs from IndexedDB; object URLs are freed on close.
import { useEffect, useRef, useState } from 'preact/hooks';
import './lightbox.css';

export interface LightboxItem {
  blob: Blob | undefined;
  alt: string;
  caption?: string;
}

function useObjectUrl(blob: Blob | undefined): string | undefined {
  const [url, setUrl] = useState<string | undefined>();
  useEffect(() => {
    if (!blob) return undefined;
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url;
}

export function Lightbox(props: { items: readonly LightboxItem[]; index: number; onIndex: (i: number) => void; onClose: () => void }) {
  const { items, index, onIndex, onClose } = props;
  const item = items[index];
  const url = useObjectUrl(item?.blob);
  const close = useRef<HTMLButtonElement>(null);
  const start = useRef<number | undefined>(undefined);
  const go = (step: number) => onIndex((index + step + items.length) % items.length);

  // The key handler is read through a ref set at each render: an effect re-bound after paint
  // would leave the previous photo's handler in place for a fast second key press.
  const onKey = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKey.current = (e) => {
    if (e.key === 'Escape') onClose();
    else if (e.key === 'ArrowRight') go(1);
    else if (e.key === 'ArrowLeft') go(-1);
  };
  useEffect(() => {
    close.current?.focus();
    const listener = (e: KeyboardEvent) => onKey.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  if (!item) return null;
  return (
    <div
      class="lightbox"
      role="dialog"
      aria-modal="true"
      aria-label={`照片 ${index + 1} / ${items.length}`}
      onClick={(e) => e.target === e.currentTarget && onClose()}
      onPointerDown={(e) => (start.current = e.clientX)}
      onPointerUp={(e) => {
        const dx = start.current === undefined ? 0 : e.clientX - start.current;
        start.current = undefined;
        // A deliberate horizontal swipe, not a tap.
        if (Math.abs(dx) > 60) go(dx < 0 ? 1 : -1);
      }}
    >
      <div class="lightbox-bar">
        <span>
          {index + 1} / {items.length}
        </span>
        <button ref={close} type="button" class="lightbox-close" onClick={onClose}>
          关闭
        </button>
      </div>
      {url ? <img class="lightbox-img" src={url} alt={item.alt} draggable={false} /> : <p class="lightbox-missing">这张照片不在本机</p>}
      {item.caption && <p class="lightbox-caption">{item.caption}</p>}
      {items.length > 1 && (
        <div class="lightbox-nav">
          <button type="button" onClick={() => go(-1)}>
            上一张
          </button>
          <button type="button" onClick={() => go(1)}>
            下一张
          </button>
        </div>
      )}
    </div>
  );
}
