// The status chain of a 重大矛盾纠纷 (排查 → 预警 → 调处 → 化解/移交) as a row of steps, each with
// the time it was reached: on the case screen, the office's alert and the 快报.
import { labelOf } from '#shared/codes';
import { MAJOR_STAGES } from '#shared/major/codes';
import { dateTimeOf } from '../format.ts';
import './stage-chain.css';

export function StageChain(props: { steps: readonly { stage: string; done: boolean; at?: string | undefined }[] }) {
  return (
    <ol class="stage-chain" aria-label="处置进度">
      {props.steps.map((s) => (
        <li key={s.stage} class={s.done ? 'done' : 'ahead'}>
          <strong>{labelOf(MAJOR_STAGES, s.stage)}</strong>
          <span class="when">{s.at ? dateTimeOf(s.at) : '未到'}</span>
        </li>
      ))}
    </ol>
  );
}
