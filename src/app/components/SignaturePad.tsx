// A signature drawn with a finger or stylus (pointer events) on a canvas: strokes are kept so
// 撤销一笔 and 清除重写 work, and the result is a small black-on-white PNG (a few KB) that is
// stored and uploaded like a photo. touch-action: none keeps the page from scrolling under it.
import { useEffect, useRef, useState } from 'preact/hooks';

type Stroke = { x: number; y: number }[];

/** Pixels of the stored image: enough for a printed line, small enough for mobile data. */
const OUT_WIDTH = 600;
const OUT_HEIGHT = 200;

function paint(canvas: HTMLCanvasElement, strokes: readonly Stroke[], lineWidth: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = '#000';
  ctx.lineWidth = lineWidth;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of strokes) {
    const [first, ...rest] = s;
    if (!first) continue;
    ctx.beginPath();
    ctx.moveTo(first.x * canvas.width, first.y * canvas.height);
    // A tap is a dot: draw it as a tiny line so it shows.
    if (rest.length === 0) ctx.lineTo(first.x * canvas.width + 0.5, first.y * canvas.height);
    for (const p of rest) ctx.lineTo(p.x * canvas.width, p.y * canvas.height);
    ctx.stroke();
  }
}

export function SignaturePad(props: {
  label: string;
  busy?: boolean;
  onSave: (png: Blob, size: { width: number; height: number }) => void;
  onCancel: () => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [strokes, setStrokes] = useState<Stroke[]>([]);
  const drawing = useRef<Stroke | null>(null);

  // Points are kept as fractions of the canvas, so the drawing survives a resize or rotation.
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const rect = c.getBoundingClientRect();
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    c.width = Math.max(1, Math.round(rect.width * ratio));
    c.height = Math.max(1, Math.round(rect.height * ratio));
    paint(c, drawing.current ? [...strokes, drawing.current] : strokes, 3 * ratio);
  });

  const pointAt = (e: PointerEvent) => {
    const rect = (e.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    return { x: Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width)), y: Math.min(1, Math.max(0, (e.clientY - rect.top) / rect.height)) };
  };
  const redraw = () => {
    const c = canvas.current;
    if (c) paint(c, drawing.current ? [...strokes, drawing.current] : strokes, 3 * Math.min(window.devicePixelRatio || 1, 2));
  };

  const save = () => {
    const out = document.createElement('canvas');
    out.width = OUT_WIDTH;
    out.height = OUT_HEIGHT;
    paint(out, strokes, 4);
    out.toBlob((blob) => {
      if (blob) props.onSave(blob, { width: OUT_WIDTH, height: OUT_HEIGHT });
    }, 'image/png');
  };

  return (
    <div class="signature-pad" role="group" aria-label={props.label}>
      <p class="field-label">{props.label}：请在下面的框内签名</p>
      <canvas
        ref={canvas}
        aria-label={`${props.label}签名区`}
        onPointerDown={(e) => {
          (e.currentTarget as HTMLCanvasElement).setPointerCapture(e.pointerId);
          drawing.current = [pointAt(e)];
          redraw();
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          drawing.current.push(pointAt(e));
          redraw();
        }}
        onPointerUp={() => {
          const s = drawing.current;
          drawing.current = null;
          if (s) setStrokes((all) => [...all, s]);
        }}
        onPointerCancel={() => {
          drawing.current = null;
          redraw();
        }}
      />
      <div class="actions">
        <button type="button" class="secondary" disabled={strokes.length === 0} onClick={() => setStrokes((all) => all.slice(0, -1))}>
          撤销一笔
        </button>
        <button type="button" class="secondary" disabled={strokes.length === 0} onClick={() => setStrokes([])}>
          清除重写
        </button>
      </div>
      <div class="actions">
        <button type="button" class="primary" disabled={strokes.length === 0 || props.busy} onClick={save}>
          保存签名
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          取消
        </button>
      </div>
    </div>
  );
}
