// 典型案例: the year's cases marked typical (on a phone by the mediator, or here), each with its
// short story, editable by office staff; at least three a year are asked of each committee.
// ?case=<id> opens the editor for that case (from the case screen's 编写典型案例). The year's
// collection downloads as .docx.
import { useEffect, useState } from 'preact/hooks';
import type { TypicalResponse } from '#shared/major/api';
import { describeFailure } from './api.ts';
import type { ReturnsDeskApi } from './AlertsApi.ts';
import './Alerts.css';

const WANTED_PER_YEAR = 3;

function TypicalEditor(props: {
  api: ReturnsDeskApi;
  subjectId: string;
  title: string;
  story: string;
  onSaved: (message: string) => void;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(props.title);
  const [story, setStory] = useState(props.story);
  const [error, setError] = useState<Record<string, string>>({});
  const save = async (typical: boolean) => {
    if (typical && title.trim() === '') return setError({ title: '请填写典型案例标题' });
    const out = await props.api.writeTypical(props.subjectId, {
      typical,
      ...(title.trim() ? { title: title.trim() } : {}),
      ...(story.trim() ? { story: story.trim() } : {}),
    });
    if (!out.ok) return setError({ _: describeFailure(out.failure) });
    props.onSaved(typical ? '典型案例已保存' : '已不再列为典型案例');
  };
  return (
    <form
      class="typical-editor"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(true);
      }}
    >
      <label>
        案例标题 <span aria-hidden="true">*</span>
        <input type="text" value={title} aria-invalid={error.title ? true : undefined} onInput={(e) => setTitle(e.currentTarget.value)} maxLength={100} />
      </label>
      {error.title && (
        <p class="field-error" role="alert">
          {error.title}
        </p>
      )}
      <label>
        案例简介（当事人用化名）
        <textarea rows={8} value={story} onInput={(e) => setStory(e.currentTarget.value)} maxLength={6000} />
      </label>
      {error._ && <p role="alert">{error._}</p>}
      <div class="office-actions">
        <button type="submit" class="primary">
          保存
        </button>
        <button type="button" class="secondary" onClick={() => void save(false)}>
          不再列为典型案例
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          收起
        </button>
      </div>
    </form>
  );
}

export function Typical(props: {
  api: ReturnsDeskApi;
  orgUnitId: string;
  unitName: string;
  year: number;
  caseId?: string | undefined;
  onYear: (year: number) => void;
}) {
  const { api, orgUnitId, year } = props;
  const [list, setList] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: TypicalResponse }>({
    status: 'loading',
  });
  const [editing, setEditing] = useState<string | undefined>(props.caseId);
  const [notice, setNotice] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let live = true;
    void api
      .typical(orgUnitId, year)
      .then((r) => live && setList(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [api, orgUnitId, year, reload]);
  const download = async () => {
    const problem = await api.download(`/api/major/typical.docx?orgUnitId=${encodeURIComponent(orgUnitId)}&year=${year}`);
    setNotice(problem ?? '已开始下载');
  };
  const cases = list.status === 'ok' ? list.value.cases : [];
  const newCase = editing !== undefined && !cases.some((c) => c.subjectId === editing);
  return (
    <section class="office-typical">
      <h2>
        典型案例 · {props.unitName} · {year}年
      </h2>
      <div class="office-filter">
        <label>
          年度
          <select value={String(year)} onChange={(e) => props.onYear(Number(e.currentTarget.value))}>
            {Array.from({ length: 6 }, (_, i) => new Date().getFullYear() - i).map((y) => (
              <option key={y} value={String(y)}>
                {y}年
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="secondary" onClick={() => void download()}>
          导出本年度典型案例（Word）
        </button>
      </div>
      <p class="muted">
        调解员在手机上的案件里标记典型案例，机关也可在此编写。每个调委会每年至少 {WANTED_PER_YEAR} 件；案例中当事人请用化名。在案件页面点“编写典型案例”可新增。
      </p>
      {notice && (
        <p class="note" role="status">
          {notice}
        </p>
      )}
      {list.status === 'loading' && <p class="muted">正在读取…</p>}
      {list.status === 'error' && <p role="alert">读取失败：{list.message}</p>}
      {list.status === 'ok' && (
        <p>
          本年度 <strong>{cases.length}</strong> 件{cases.length < WANTED_PER_YEAR && <span class="warn">（少于 {WANTED_PER_YEAR} 件）</span>}
        </p>
      )}
      {newCase && editing && (
        <div class="typical-item">
          <h3>新增典型案例</h3>
          <TypicalEditor
            api={api}
            subjectId={editing}
            title=""
            story=""
            onSaved={(m) => (setNotice(m), setEditing(undefined), setReload((n) => n + 1))}
            onCancel={() => setEditing(undefined)}
          />
        </div>
      )}
      <ol class="typical-list">
        {cases.map((c) => (
          <li key={c.subjectId} class="typical-item">
            <h3>{c.title}</h3>
            <p class="muted">
              {[c.caseNumber ?? '待编号', c.unitName, c.disputeType, c.closedOn ? `${c.closedOn} 结案` : '调解中', c.result].filter(Boolean).join(' · ')}
            </p>
            {editing === c.subjectId ? (
              <TypicalEditor
                api={api}
                subjectId={c.subjectId}
                title={c.title}
                story={c.story}
                onSaved={(m) => (setNotice(m), setEditing(undefined), setReload((n) => n + 1))}
                onCancel={() => setEditing(undefined)}
              />
            ) : (
              <>
                <p class="pre">{c.story || '（案例正文尚未填写）'}</p>
                <div class="office-actions">
                  <button type="button" class="secondary" onClick={() => setEditing(c.subjectId)}>
                    编辑
                  </button>
                  <a class="button secondary" href={`/cases/${c.subjectId}`}>
                    查看案件
                  </a>
                </div>
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
