// The bar above every print view, never on paper: 打印, what the view adds (在手机上签名), 返回案件.
import type { ComponentChildren } from 'preact';

export function PrintTools({ subjectId, children }: { subjectId: string; children?: ComponentChildren }) {
  return (
    <div class="no-print print-tools">
      <button type="button" class="primary" onClick={() => window.print()}>
        打印
      </button>
      {children}
      <a class="button secondary" href={`/cases/${subjectId}`}>
        返回案件
      </a>
    </div>
  );
}
