// A record's photos as thumbnails that open full screen, each with when and where it was
// taken (留痕). Photos are read from this phone's IndexedDB.
import { useState } from 'preact/hooks';
import type { Photo } from '#shared/events';
import { Lightbox } from '../components/Lightbox.tsx';
import { Thumb } from '../components/Thumb.tsx';
import { useStorageQuery } from '../hooks/use-storage-query.ts';
import { getBlob } from '../storage/index.ts';
import { dateTimeOf } from '../format.ts';
import { locationText } from './location.ts';
import './photos.css';

function captionOf(p: Photo): string | undefined {
  const parts = [p.takenAt && `拍摄于 ${dateTimeOf(p.takenAt)}`, p.location && `位置 ${locationText(p.location)}`].filter(Boolean);
  return parts.length > 0 ? parts.join('，') : undefined;
}

export function PhotoGallery(props: { photos: readonly Photo[]; label: string }) {
  const key = props.photos.map((p) => p.sha256).join(',');
  const { data } = useStorageQuery(() => Promise.all(props.photos.map((p) => getBlob(p.sha256))), [key]);
  const [viewing, setViewing] = useState<number | undefined>();
  if (props.photos.length === 0) return null;
  return (
    <>
      <ul class="thumbs" aria-label={props.label}>
        {props.photos.map((p, i) => (
          <li key={p.sha256}>
            <button type="button" class="thumb-open" aria-label={`查看${props.label} ${i + 1}`} onClick={() => setViewing(i)}>
              <Thumb blob={data?.[i]?.thumb ?? data?.[i]?.blob} alt={`${props.label} ${i + 1}`} />
            </button>
          </li>
        ))}
      </ul>
      {viewing !== undefined && (
        <Lightbox
          items={props.photos.map((p, i) => {
            const caption = captionOf(p);
            return { blob: data?.[i]?.blob, alt: `${props.label} ${i + 1}`, ...(caption ? { caption } : {}) };
          })}
          index={viewing}
          onIndex={setViewing}
          onClose={() => setViewing(undefined)}
        />
      )}
    </>
  );
}
