// 纠纷类型上报对照 (admin): each local dispute type with the code and name it is reported upward
// as. Empty fields report the national category (the default); saving replaces the mapping on
// the server, and no case changes. The server checks codes and names; its message shows here.
import { useEffect, useState } from 'preact/hooks';
import type { TypeMapResponse } from '#shared/api/returns';
import { describeFailure } from '../../net/http.ts';
import type { ReturnsApi } from './returns-api.ts';

type Row = TypeMapResponse['types'][number];

export function ReturnsTypeMap(props: { api: ReturnsApi; onSaved: () => void }) {
  const [rows, setRows] = useState<Row[] | undefined>();
  const [message, setMessage] = useState('');
  const api = props.api;
  useEffect(() => {
    let live = true;
    void api.typeMap().then((r) => {
      if (!live) return;
      if (r.ok) setRows(r.body.types);
      else setMessage(describeFailure(r.failure));
    });
    return () => {
      live = false;
    };
  }, [api]);
  if (!rows) return message ? <p role="alert">{message}</p> : null;
  const edit = (i: number, change: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change, mapped: true } : r)));
  const save = async () => {
    const entries = rows.filter((r) => r.mapped).map((r) => ({ localCode: r.localCode, upwardCode: r.upwardCode.trim(), upwardLabel: r.upwardLabel.trim() }));
    const out = await props.api.saveTypeMap({ entries });
    if (out.ok) {
      setRows(out.body.types);
      setMessage('对照表已保存');
      props.onSaved();
    } else setMessage(describeFailure(out.failure));
  };
  return (
    <details class="returns-admin">
      <summary>纠纷类型上报对照（管理员）</summary>
      <p class="muted">本地登记的纠纷类型不变；月报“按上报类型”按此表归类。未改动的类型按全国 15 类纠纷类型上报。</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        aria-label="纠纷类型上报对照"
      >
        <table class="office-table">
          <thead>
            <tr>
              <th scope="col">本地类型</th>
              <th scope="col">上报代码</th>
              <th scope="col">上报名称</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.localCode}>
                <td>
                  {r.localLabel}（{r.localCode}）
                </td>
                <td>
                  <input
                    aria-label={`${r.localLabel} 上报代码`}
                    value={r.upwardCode}
                    maxLength={20}
                    onInput={(e) => edit(i, { upwardCode: e.currentTarget.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`${r.localLabel} 上报名称`}
                    value={r.upwardLabel}
                    maxLength={40}
                    onInput={(e) => edit(i, { upwardLabel: e.currentTarget.value })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <button type="submit" class="primary">
            保存对照表
          </button>
          {message && <span role="status"> {message}</span>}
        </p>
      </form>
    </details>
  );
}
