// The annual report draft on screen, laid out like the printed page (A4 print CSS): figures
// link to their records, placeholders are marked; print from the browser or take the .docx.
// A draft carries a 草稿 watermark and header; counts can be rounded (90余场次) for the text.
import { useEffect, useState } from 'preact/hooks';
import { localDateOf } from '#shared/time';
import { dateOf } from '../../format.ts';
import { describeFailure, type OfficeApi, type ReportAnswer } from './api.ts';

export function ReportView(props: { api: OfficeApi; search: string }) {
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: ReportAnswer }>({
    status: 'loading',
  });
  const [notice, setNotice] = useState('');
  const params = new URLSearchParams(props.search);
  const [rounded, setRounded] = useState(params.get('rounded') === '1');
  // A year not yet begun is refused by the server's 定稿 (its records are still to come); the
  // button is not offered for it. The current year is: a December draft is signed off in time.
  const year = Number(params.get('year'));
  const notBegun = year > Number(localDateOf(new Date().toISOString()).slice(0, 4));
  const query = `year=${encodeURIComponent(params.get('year') ?? '')}&orgUnitId=${encodeURIComponent(params.get('orgUnitId') ?? '')}${rounded ? '&rounded=1' : ''}`;

  useEffect(() => {
    let live = true;
    void props.api
      .report(query)
      .then((r) => live && setState(r.ok ? { status: 'ok', value: r.body } : { status: 'error', message: describeFailure(r.failure) }));
    return () => {
      live = false;
    };
  }, [query]);

  return (
    <section class="office-report">
      <div class="report-toolbar">
        <a href={`/office?${query}`}>← 返回统计</a>
        {state.status !== 'error' && (
          <>
            <button type="button" onClick={() => window.print()}>
              打印
            </button>
            <button
              type="button"
              onClick={() => {
                setNotice('正在生成文件…');
                void props.api.download(`/api/reports/annual?${query}&format=docx`).then((e) => setNotice(e ?? '已开始下载'));
              }}
            >
              下载 Word
            </button>
            <label class="checkbox">
              <input type="checkbox" checked={rounded} onChange={(e) => setRounded(e.currentTarget.checked)} />
              约数表述（如“90余场次”）
            </label>
          </>
        )}
        {state.status === 'ok' && state.value.status === 'draft' && !notBegun && (
          <button
            type="button"
            onClick={() => {
              const orgUnitId = params.get('orgUnitId') ?? '';
              if (!window.confirm('定稿后报告的文字和数字将固定，不再随台账变化。确定定稿吗？')) return;
              void props.api.finaliseReport({ year, orgUnitId, rounded }).then((r) => {
                if (r.ok) setState({ status: 'ok', value: r.body });
                setNotice(r.ok ? '已定稿' : describeFailure(r.failure));
              });
            }}
          >
            定稿
          </button>
        )}
        {state.status === 'ok' && state.value.status === 'draft' && notBegun && <span class="muted">{year}年尚未开始，不能定稿。</span>}
        {notice && <span role="status">{notice}</span>}
        {state.status === 'ok' && state.value.status === 'final' && (
          <span class="muted">
            已定稿（{state.value.finalisedByName} {dateOf(state.value.finalisedAt)}），文字和数字不再随台账变化。
          </span>
        )}
        {state.status === 'ok' && state.value.status === 'draft' && (
          <span class="muted">黄色标记处共 {state.value.placeholders.length} 处需补充填写；点击数字可查看对应记录。</span>
        )}
      </div>
      {state.status === 'loading' && <p class="muted">正在生成草稿…</p>}
      {state.status === 'error' && <p role="alert">生成失败：{state.message}</p>}
      {state.status === 'ok' && (
        <article class="report-page" aria-label={state.value.title} style={{ position: 'relative' }}>
          {state.value.status === 'draft' && (
            <>
              <p style={{ textAlign: 'right', color: '#b00', fontWeight: 'bold', fontFamily: 'SimHei, 黑体, sans-serif' }}>草稿（未定稿）</p>
              <div
                aria-hidden="true"
                style={{
                  position: 'absolute',
                  inset: 0,
                  display: 'flex',
                  alignItems: 'center',
                  justifyContent: 'center',
                  fontSize: '120pt',
                  fontWeight: 'bold',
                  color: 'rgba(200, 0, 0, 0.08)',
                  transform: 'rotate(-30deg)',
                  pointerEvents: 'none',
                }}
              >
                草稿
              </div>
            </>
          )}
          {state.value.paragraphs.map((p, i) => (
            <p key={i} class={`report-${p.style}`}>
              {p.lead && <span class="report-lead">{p.lead}</span>}
              {p.spans.map((s, j) =>
                s.kind === 'text' ? (
                  s.text
                ) : s.kind === 'placeholder' ? (
                  <mark key={j}>{s.text}</mark>
                ) : s.href ? (
                  <a key={j} class="report-figure" data-figure={s.key} href={s.href}>
                    {s.text}
                  </a>
                ) : (
                  <span key={j}>{s.text}</span>
                ),
              )}
            </p>
          ))}
        </article>
      )}
    </section>
  );
}
