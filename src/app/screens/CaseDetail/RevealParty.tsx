// Office staff and admins see a case's parties masked; here they open one party's details on
// purpose (POST /api/audit/reveal): a reason from the list (free text required for 其他), the
// server checks the record against their scope and audits it, and the details show in memory
// only, never in IndexedDB, until the grant's time is up (10 minutes), then masked again.
import { useEffect, useState } from 'preact/hooks';
import { grantedUnits } from '#shared/access';
import { REVEAL_REASONS, RevealResponse, type RevealedParty, type RevealReason } from '#shared/api/audit';
import { SelectField, TextField } from '../../components/fields.tsx';
import { createApiClient } from '../../net/client.ts';
import { describeFailure } from '../../net/http.ts';
import { sessionController } from '../../session/instance.ts';
import { session } from '../../session/state.ts';

/** Whether this user sees the unit's parties masked, and so may reveal them: office staff and admins. */
export function revealsIn(orgUnitId: string): boolean {
  const s = session.value;
  if (!s || !s.user.roles.some((g) => g.role === 'office' || g.role === 'admin')) return false;
  return !grantedUnits(s.orgUnits, s.user.roles).personalData.has(orgUnitId);
}

const api = createApiClient({
  fetch: (input, init) => fetch(input, init),
  token: () => session.value?.token,
  onUnauthorized: () => void sessionController.endOnUnauthorized(),
  timeoutMs: 30_000,
});

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' });

export function RevealParty(props: { subjectId: string; party: number; label: string }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ reason?: string; note?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<{ details: RevealedParty; until: string } | undefined>();

  // Masked again when the grant's time is up, whether or not the screen was touched.
  useEffect(() => {
    if (!shown) return undefined;
    const timer = setTimeout(() => setShown(undefined), Math.max(0, Date.parse(shown.until) - Date.now()));
    return () => clearTimeout(timer);
  }, [shown]);

  if (shown) {
    const d = shown.details;
    return (
      <div class="revealed" role="status" aria-label={`${props.label}完整信息`}>
        <p>
          {props.label}完整信息（已记入审计日志，{timeOf(shown.until)} 后自动隐藏）：
        </p>
        <dl class="facts">
          <dt>姓名</dt>
          <dd>{d.name}</dd>
          {d.phone && (
            <>
              <dt>电话</dt>
              <dd>{d.phone}</dd>
            </>
          )}
          {d.idNumber && (
            <>
              <dt>身份证号</dt>
              <dd>{d.idNumber}</dd>
            </>
          )}
          {d.address && (
            <>
              <dt>住址</dt>
              <dd>{d.address}</dd>
            </>
          )}
        </dl>
        <button type="button" class="secondary small" onClick={() => setShown(undefined)}>
          隐藏
        </button>
      </div>
    );
  }
  if (!open) {
    return (
      <button type="button" class="secondary small" onClick={() => setOpen(true)}>
        查看{props.label}完整信息
      </button>
    );
  }
  const submit = async () => {
    const found: typeof errors = {};
    if (!reason) found.reason = '请选择查看原因';
    if (reason === 'other' && note.trim().length < 2) found.note = '选择“其他”时请写明原因';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    const body = { subjectId: props.subjectId, party: props.party, reason: reason as RevealReason, ...(note.trim() ? { note: note.trim() } : {}) };
    const r = await api.send('POST', '/api/audit/reveal', body, RevealResponse);
    setBusy(false);
    if (!r.ok) return setErrors({ form: describeFailure(r.failure) });
    setOpen(false);
    setReason('');
    setNote('');
    setShown({ details: r.body.details, until: r.body.until });
  };
  return (
    <form
      class="reveal-form form"
      aria-label={`查看${props.label}完整信息`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p class="field-hint">查看将记入审计日志（查看人、案件、当事人、原因），10 分钟后自动隐藏。</p>
      <SelectField label="查看原因" value={reason} onChange={setReason} options={REVEAL_REASONS} placeholder="请选择" error={errors.reason} required />
      <TextField label="说明" value={note} onInput={setNote} error={errors.note} maxLength={200} />
      {errors.form && (
        <p class="form-error" role="alert">
          {errors.form}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          确认查看
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          取消
        </button>
      </div>
    </form>
  );
}
