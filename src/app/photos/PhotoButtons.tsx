// 拍照 (the camera, capture="environment") and 从相册选择 (the gallery, several at once) as two
// big buttons: each is a label wrapping a visually hidden file input, so it stays reachable
// by keyboard and screen reader and tests find it by its name.
import './photos.css';

export function PhotoButtons(props: { disabled?: boolean; onFiles: (files: FileList | null) => Promise<void> }) {
  const pick = (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    // Cleared afterwards so that picking the same photo again fires a change.
    void props.onFiles(input.files).then(() => (input.value = ''));
  };
  return (
    <div class="photo-buttons">
      <label class={`button primary photo-button${props.disabled ? ' disabled' : ''}`}>
        <input class="visually-hidden" type="file" accept="image/*" capture="environment" disabled={props.disabled} onChange={pick} />
        拍照
      </label>
      <label class={`button secondary photo-button${props.disabled ? ' disabled' : ''}`}>
        <input class="visually-hidden" type="file" accept="image/*" multiple disabled={props.disabled} onChange={pick} />
        从相册选择
      </label>
    </div>
  );
}
