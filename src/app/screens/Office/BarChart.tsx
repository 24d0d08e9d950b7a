// Horizontal bar charts in plain SVG. The office screens need bars and nothing else (counts by
// type, channel, village, month), which is a few dozen lines here against 50–200 KB gzip for a
// chart library; the chunk stays small and every bar can be a link to its records.
export interface Bar {
  key: string;
  label: string;
  value: number;
  href?: string;
}

const ROW = 26;
const LABEL_W = 120;
const VALUE_W = 56;
const WIDTH = 520;

export function BarChart(props: { title: string; bars: readonly Bar[]; unit?: string; hideZero?: boolean }) {
  const bars = props.hideZero ? props.bars.filter((b) => b.value > 0) : props.bars;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const plot = WIDTH - LABEL_W - VALUE_W;
  const height = Math.max(1, bars.length) * ROW + 4;
  return (
    <figure class="bar-chart">
      <figcaption>{props.title}</figcaption>
      {bars.length === 0 ? (
        <p class="muted">暂无数据</p>
      ) : (
        <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={props.title} preserveAspectRatio="xMinYMin meet">
          {bars.map((b, i) => {
            const y = i * ROW + 2;
            const w = Math.round((b.value / max) * plot);
            const text = `${b.value}${props.unit ?? ''}`;
            const row = (
              <g>
                <text x={LABEL_W - 6} y={y + ROW / 2 + 5} text-anchor="end" class="bar-label">
                  {b.label}
                </text>
                <rect x={LABEL_W} y={y + 4} width={Math.max(w, b.value > 0 ? 2 : 0)} height={ROW - 8} class="bar" />
                <text x={LABEL_W + w + 6} y={y + ROW / 2 + 5} class="bar-value">
                  {text}
                </text>
                <title>{`${b.label}：${text}`}</title>
              </g>
            );
            return b.href ? (
              <a key={b.key} href={b.href} aria-label={`${b.label} ${text}，查看记录`}>
                {row}
              </a>
            ) : (
              <g key={b.key}>{row}</g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}
