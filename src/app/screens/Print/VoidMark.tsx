// 已作废 on a voided case's prints: a line under the title and a mark repeated on every sheet
// (position: fixed prints once per page), so a copy of a voided record cannot pass as valid.
export function VoidMark(props: { reason: string }) {
  return (
    <>
      <p class="print-void" role="note">
        已作废（作废原因：{props.reason}）
      </p>
      <div class="print-void-mark" aria-hidden="true">
        已作废
      </div>
    </>
  );
}
