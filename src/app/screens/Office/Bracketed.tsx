// Text that ends in a part in brackets, a unit (排查次数（次）) or a sub-type (劳动争议纠纷（拖欠农民
// 工工资）), with that part held together (.unit, white-space: nowrap): a narrow cell wraps
// before its “（” and never leaves a lone “）” on a line of its own.
export function Bracketed(props: { text: string }) {
  const part = /^(.*?)(（[^（）]+）)$/.exec(props.text);
  if (!part) return <>{props.text}</>;
  return (
    <>
      {part[1]}
      <span class="unit">{part[2]}</span>
    </>
  );
}
