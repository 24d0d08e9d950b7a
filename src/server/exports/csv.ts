// One sheet → CSV with a UTF-8 BOM (Excel and WPS then read the Chinese correctly), CRLF
// lines, formula-looking cells defused (the shared CSV writer does both). Streamed: a page of
// rows is read only when the client has taken the last one.
import { toCsv } from '../access/org-import.ts';
import type { Cell, PagedSheet, Sheet } from './table.ts';

const text = (v: Cell) => (v === null ? '' : typeof v === 'boolean' ? (v ? '是' : '否') : String(v));

export interface CsvStreamOptions {
  /** Runs once every page was read (or reading stopped), before the file's end. */
  beforeEnd?: () => Promise<void>;
}

export function streamCsv({ head, pages }: PagedSheet, { beforeEnd }: CsvStreamOptions = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = pages[Symbol.asyncIterator]();
  let ended = false;
  const end = async () => {
    if (ended) return;
    ended = true;
    await beforeEnd?.();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(toCsv([head.columns.map((c) => c.header)])));
    },
    async pull(controller) {
      for (;;) {
        let next: IteratorResult<Sheet>;
        try {
          next = await iterator.next();
        } catch (err) {
          await end();
          throw err;
        }
        if (next.done) {
          await end();
          controller.close();
          return;
        }
        if (next.value.rows.length === 0) continue;
        // toCsv starts every text with the BOM: only the file's first line carries it.
        controller.enqueue(encoder.encode(toCsv(next.value.rows.map((r) => r.map(text))).slice(1)));
        return;
      }
    },
    async cancel() {
      await iterator.return?.();
      await end();
    },
  });
}
