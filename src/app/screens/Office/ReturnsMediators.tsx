// 调解员专职/兼职 (admin): the mediators the return counts for the unit, each 专职 or 兼职. A
// change is saved at once and the registry counts above follow.
import { useEffect, useState } from 'preact/hooks';
import type { MediatorsResponse } from '#shared/api/returns';
import { MEDIATOR_EMPLOYMENT } from '#shared/codes';
import { describeFailure } from '../../net/http.ts';
import type { ReturnsApi } from './returns-api.ts';

export function ReturnsMediators(props: { api: ReturnsApi; orgUnitId: string; onSaved: () => void }) {
  const [list, setList] = useState<MediatorsResponse['mediators'] | undefined>();
  const [message, setMessage] = useState('');
  const api = props.api;
  useEffect(() => {
    let live = true;
    void api.mediators(props.orgUnitId).then((r) => {
      if (!live) return;
      if (r.ok) setList(r.body.mediators);
      else setMessage(describeFailure(r.failure));
    });
    return () => {
      live = false;
    };
  }, [api, props.orgUnitId]);
  if (!list) return message ? <p role="alert">{message}</p> : null;
  const set = async (userId: string, employment: 'full_time' | 'part_time') => {
    const out = await props.api.setEmployment(userId, employment);
    if (out.ok) {
      setList(list.map((m) => (m.userId === userId ? { ...m, employment } : m)));
      setMessage('已保存');
      props.onSaved();
    } else setMessage(describeFailure(out.failure));
  };
  return (
    <details class="returns-admin">
      <summary>人民调解员专职/兼职（管理员）</summary>
      {list.length === 0 ? (
        <p class="muted">该单位还没有调解员账号。</p>
      ) : (
        <table class="office-table">
          <thead>
            <tr>
              <th scope="col">姓名</th>
              <th scope="col">账号</th>
              <th scope="col">所在调委会/单位</th>
              <th scope="col">专职/兼职</th>
            </tr>
          </thead>
          <tbody>
            {list.map((m) => (
              <tr key={m.userId}>
                <td>
                  {m.displayName}
                  {m.disabled && '（已停用）'}
                </td>
                <td>{m.username}</td>
                <td>{m.units}</td>
                <td>
                  <select
                    aria-label={`${m.displayName} 专职或兼职`}
                    value={m.employment}
                    onChange={(e) => void set(m.userId, e.currentTarget.value as 'full_time' | 'part_time')}
                  >
                    {MEDIATOR_EMPLOYMENT.map((o) => (
                      <option key={o.code} value={o.code}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {message && <p role="status">{message}</p>}
    </details>
  );
}
