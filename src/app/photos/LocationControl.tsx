// 记录位置 for a record: optional; one tap asks the phone, the result shows with its accuracy
// and can be removed before saving.
import { useState } from 'preact/hooks';
import type { GeoPoint } from '#shared/events';
import { dateTimeOf } from '../format.ts';
import { LOCATION_PROBLEM_TEXT, locationText, requestLocation } from './location.ts';

export function LocationControl(props: { value: GeoPoint | undefined; onChange: (p: GeoPoint | undefined) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const locate = async () => {
    setBusy(true);
    setProblem(undefined);
    const r = await requestLocation();
    setBusy(false);
    if (r.ok) props.onChange(r.point);
    else setProblem(LOCATION_PROBLEM_TEXT[r.code]);
  };
  return (
    <div class="field location-field" role="group" aria-label="现场位置">
      <span class="field-label">现场位置（可选）</span>
      {props.value ? (
        <p class="location-value">
          已记录：{locationText(props.value)}，{dateTimeOf(props.value.at)}
        </p>
      ) : (
        <p class="field-hint">点“记录位置”时手机会询问是否允许定位；不记录也能保存。</p>
      )}
      <div class="actions">
        <button type="button" class="secondary" disabled={busy} onClick={() => void locate()}>
          {busy ? '正在定位…' : props.value ? '重新记录位置' : '记录位置'}
        </button>
        {props.value && (
          <button type="button" class="secondary" onClick={() => props.onChange(undefined)}>
            不记录位置
          </button>
        )}
      </div>
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
