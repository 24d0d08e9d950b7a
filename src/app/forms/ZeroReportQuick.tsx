// 零报告 from 首页 in two taps: 零报告 opens a confirmation right under the buttons (grid and day
// named, nothing to scroll to at 360×740), 确认零报告 saves it. A second one for the same grid and
// day, or one after a sweep of that grid and day that found disputes, asks again in the same
// place; the saved notice stays where the finger was.
import { useState } from 'preact/hooks';
import { v7 as uuidv7 } from 'uuid';
import { FormError, Saved } from '../components/fields.tsx';
import { defaultOrgUnit, OrgUnitField } from '../components/OrgUnitField.tsx';
import { useStorageQuery } from '../hooks/use-storage-query.ts';
import { orgUnitLabel } from '../session/index.ts';
import { InvalidEventError, listRecords, recordEvents } from '../storage/index.ts';
import { nowTimeLocal, todayLocal } from '../format.ts';
import { zeroReportEvent, zeroReportQuestion } from './zero-report.ts';

const GRID_KINDS = ['grid'] as const;

export function ZeroReportQuick() {
  const [asking, setAsking] = useState(false);
  const [orgUnitId, setOrgUnitId] = useState(() => defaultOrgUnit(GRID_KINDS));
  const [saved, setSaved] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const sweeps = useStorageQuery(() => listRecords('sweep'), []);
  const today = todayLocal();
  const question = zeroReportQuestion(sweeps.data, orgUnitId, today, today);

  const save = async () => {
    if (!orgUnitId) {
      setError('请选择网格');
      return;
    }
    setBusy(true);
    try {
      await recordEvents([zeroReportEvent(uuidv7(), orgUnitId, today)]);
      setAsking(false);
      setError(undefined);
      setSaved(`零报告已保存：${orgUnitLabel(orgUnitId)}，${today} ${nowTimeLocal()}`);
    } catch (e) {
      setError(e instanceof InvalidEventError ? e.message : '保存失败，请重试');
    } finally {
      setBusy(false);
    }
  };

  if (!asking) {
    return (
      <div class="zero-quick">
        <button
          type="button"
          class="big-action"
          onClick={() => {
            setSaved(undefined);
            setAsking(true);
          }}
        >
          零报告
        </button>
        <Saved show={saved !== undefined}>
          <span class="zero-done">{saved}</span>
        </Saved>
      </div>
    );
  }
  return (
    <div class="zero-report zero-quick" role="group" aria-label="零报告确认">
      <p>
        <strong>今天（{today}）</strong>排查未发现矛盾纠纷
      </p>
      <OrgUnitField label="网格" kinds={GRID_KINDS} value={orgUnitId} onChange={setOrgUnitId} error={error} />
      {question.warning && (
        <p class="note" role="alert">
          {question.warning}
        </p>
      )}
      <button type="button" class="primary big" disabled={busy} onClick={() => void save()}>
        {question.button}
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        取消
      </button>
      {error && !error.startsWith('请选择') && <FormError message={error} />}
    </div>
  );
}
