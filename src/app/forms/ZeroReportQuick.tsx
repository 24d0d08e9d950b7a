// 零报告 from 首页 in two taps: 零报告 opens a confirmation right under the buttons (grid and day
// named, nothing to scroll to at 360×740), 确认零报告 saves it. 走访户数 starts from the grid's
// last zero report that gave it (a worker walks the same households each time), is checked by
// the rule 排查 uses, and Enter in it saves. A second one for the same grid and day, or one after
// a sweep of that grid and day that found disputes, asks again in the same place; the saved
// notice stays where the finger was.
import { useEffect, useRef, useState } from 'preact/hooks';
import { uuidv7 } from '#shared/uuid';
import { FormError, NumberField, Saved } from '../components/fields.tsx';
import { defaultOrgUnit, OrgUnitField } from '../components/OrgUnitField.tsx';
import { useStorageQuery } from '../hooks/use-storage-query.ts';
import { orgUnitLabel } from '../session/index.ts';
import { InvalidEventError, listRecords, recordEvents } from '../storage/index.ts';
import { nowTimeLocal, todayLocal } from '../format.ts';
import { lastZeroReportHouseholds, readHouseholds, zeroReportEvent, zeroReportQuestion } from './zero-report.ts';

const GRID_KINDS = ['grid'] as const;

/** What stops the save, at its field (`form`: under the buttons). */
type Problems = Partial<Record<'orgUnitId' | 'households' | 'form', string>>;

export function ZeroReportQuick() {
  const [asking, setAsking] = useState(false);
  const [orgUnitId, setOrgUnitId] = useState(() => defaultOrgUnit(GRID_KINDS));
  // What the worker typed; until then the field shows the grid's last households.
  const [typed, setTyped] = useState<string | undefined>();
  const [saved, setSaved] = useState<string | undefined>();
  const [problems, setProblems] = useState<Problems>({});
  // Bumped by each refused save: the effect after that render puts the cursor at the first wrong field.
  const [refusals, setRefusals] = useState(0);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLFormElement>(null);
  const sweeps = useStorageQuery(() => listRecords('sweep'), []);
  const today = todayLocal();
  const question = zeroReportQuestion(sweeps.data, orgUnitId, today, today);
  const last = lastZeroReportHouseholds(sweeps.data, orgUnitId);
  const households = typed ?? (last === undefined ? '' : String(last));

  useEffect(() => {
    const first = box.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (refusals === 0 || !first) return;
    first.scrollIntoView?.({ block: 'center' });
    first.focus({ preventScroll: true });
  }, [refusals]);

  const refuse = (found: Problems) => {
    setProblems(found);
    setRefusals((n) => n + 1);
  };

  const save = async () => {
    if (busy) return;
    const count = readHouseholds(households);
    if (!orgUnitId || !count.ok) return refuse({ ...(!orgUnitId && { orgUnitId: '请选择网格' }), ...(!count.ok && { households: count.message }) });
    setBusy(true);
    try {
      await recordEvents([zeroReportEvent(uuidv7(), orgUnitId, today, count.value ?? 0)]);
      setAsking(false);
      setProblems({});
      setTyped(undefined);
      const visited = count.value ? `，走访 ${count.value} 户` : '';
      setSaved(`零报告已保存：${orgUnitLabel(orgUnitId)}${visited}，${today} ${nowTimeLocal()}`);
    } catch (e) {
      refuse({ form: e instanceof InvalidEventError ? e.message : '保存失败，请重试' });
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
            setProblems({});
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
      {/* A form, so that Enter in 走访户数 (the phone keyboard's 前往) saves like 确认零报告. */}
      <form
        ref={box}
        class="zero-quick-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <p>
          <strong>今天（{today}）</strong>排查未发现矛盾纠纷
        </p>
        <OrgUnitField
          label="网格"
          kinds={GRID_KINDS}
          value={orgUnitId}
          onChange={(id) => {
            setOrgUnitId(id);
            setProblems(({ orgUnitId: _, ...rest }) => rest);
          }}
          error={problems.orgUnitId}
        />
        <NumberField
          label="走访户数"
          value={households}
          onInput={setTyped}
          error={problems.households}
          hint={typed === undefined && last !== undefined ? '按该网格上次零报告填入，可修改' : '可不填'}
        />
        {question.warning && (
          <p class="note" role="alert">
            {question.warning}
          </p>
        )}
        <button type="submit" class="primary big" disabled={busy}>
          {question.button}
        </button>
        <button type="button" class="secondary" onClick={() => setAsking(false)}>
          取消
        </button>
        <FormError message={problems.form} />
      </form>
    </div>
  );
}
