// The one way the app saves a file: a download from the API (exports, the report .docx, the
// audit CSV, the org sheet template) needs the bearer token, so it goes through fetch and a
// blob link rather than a plain <a href>, under the name the server gives in
// Content-Disposition; a file made on the phone (the outbox export) is saved the same way.
import { describeFailure, requestBlob, type RequestOptions } from './http.ts';

/** The file name from Content-Disposition (the UTF-8 form when present). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // A malformed escape: the plain name (or the fallback) is the best there is.
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback;
}

/** Hands a file to the browser as a download. */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Some browsers read the URL after click() returns: revoke once they have taken it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads `path` and saves it; resolves to a Chinese error text, or undefined once the download started. */
export async function downloadFile(path: string, options: RequestOptions): Promise<string | undefined> {
  const out = await requestBlob(path, { method: 'GET' }, options);
  if (!out.ok) {
    const { failure } = out;
    switch (failure.kind) {
      case 'refused':
        return failure.message ?? `下载失败（${failure.status}）`;
      // Not the sync wording ("会自动上传"): nothing retries a download by itself.
      case 'offline':
      case 'timeout':
        return '网络不通，稍后再试';
      case 'unauthorized':
      case 'rate_limited':
      case 'server_error':
      case 'storage_full':
      case 'bad_response':
        return describeFailure(failure);
    }
  }
  saveFile(out.body, fileNameOf(out.headers.get('content-disposition'), path.split('/').pop()?.split('?')[0] ?? 'download'));
  return undefined;
}
