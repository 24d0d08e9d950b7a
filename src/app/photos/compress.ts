// Photos taken for a record: shrunk on the phone to at most 300 KB of JPEG (downscaling and
// lowering quality step by step), hashed with SHA-256 (the name the server stores them
// under), with a small thumbnail for lists. Runs in the page: createImageBitmap + canvas.
import type { BlobRecord } from '../storage/index.ts';

const MAX_PHOTO_BYTES = 300 * 1024;
const MAX_EDGE = 1600;
const THUMB_EDGE = 240;
const QUALITIES = [0.82, 0.72, 0.62, 0.5, 0.4];

export type PhotoProblem = 'not_image' | 'too_large';

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function canvasFor(width: number, height: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

function toJpeg(canvas: HTMLCanvasElement, quality: number): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
}

async function draw(bitmap: ImageBitmap, maxEdge: number): Promise<HTMLCanvasElement> {
  const scale = Math.min(1, maxEdge / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = canvasFor(width, height);
  const ctx = canvas.getContext('2d');
  // A JPEG has no transparency: paint white under a PNG's transparent parts.
  if (ctx) {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0, width, height);
  }
  return canvas;
}

/** One picked file → a stored photo, or why it cannot be one. */
export async function compressPhoto(file: Blob, now = Date.now()): Promise<{ ok: true; photo: BlobRecord } | { ok: false; code: PhotoProblem }> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { ok: false, code: 'not_image' };
  }
  try {
    let edge = MAX_EDGE;
    let best: { blob: Blob; canvas: HTMLCanvasElement } | undefined;
    while (edge >= 320 && !best) {
      const canvas = await draw(bitmap, edge);
      for (const q of QUALITIES) {
        const blob = await toJpeg(canvas, q);
        if (blob && blob.size <= MAX_PHOTO_BYTES) {
          best = { blob, canvas };
          break;
        }
      }
      edge = Math.round(edge * 0.7);
    }
    if (!best) return { ok: false, code: 'too_large' };
    const thumbCanvas = await draw(bitmap, THUMB_EDGE);
    const thumb = (await toJpeg(thumbCanvas, 0.7)) ?? undefined;
    const photo: BlobRecord = {
      sha256: await sha256Hex(best.blob),
      blob: best.blob,
      mime: 'image/jpeg',
      size: best.blob.size,
      width: best.canvas.width,
      height: best.canvas.height,
      uploaded: false,
      createdAt: now,
    };
    if (thumb) photo.thumb = thumb;
    return { ok: true, photo };
  } finally {
    bitmap.close();
  }
}

export const PHOTO_PROBLEM_TEXT: Record<PhotoProblem, string> = {
  not_image: '不是可识别的图片',
  too_large: '图片无法压缩到 300 KB 以内',
};
