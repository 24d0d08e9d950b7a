// A photo's thumbnail from a Blob held in IndexedDB (object URL freed when it goes away).
import { useEffect, useState } from 'preact/hooks';

export function Thumb(props: { blob: Blob | undefined; alt: string }) {
  const [url, setUrl] = useState<string | undefined>();
  useEffect(() => {
    if (!props.blob) return undefined;
    const u = URL.createObjectURL(props.blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [props.blob]);
  return url ? <img class="thumb" src={url} alt={props.alt} width={96} height={96} /> : <span class="thumb placeholder">照片</span>;
}
