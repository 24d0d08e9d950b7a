// Horizontal bar charts in plain SVG. The office screens need bars and nothing else (counts by
// type, channel, village, month), which is a few dozen lines here against 50–200 KB gzip for a
// chart library; the chunk stays small and every bar can be a link to its records. 保存图片
// draws the SVG onto a canvas and saves a PNG (for slides and Word); print CSS keeps a chart
// on one page.
import { useRef, useState } from 'preact/hooks';

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
const TITLE_H = 32;
/** Pixels per SVG unit in the PNG: sharp on a projector and in a printed Word page. */
const PNG_SCALE = 2;

/**
 * The chart as a standalone SVG: the page's CSS does not reach an image, so each element gets
 * its computed fill and font inline, and the title is drawn above the bars.
 */
function standaloneSvg(svg: SVGSVGElement, title: string): { text: string; width: number; height: number } {
  const [, , w = WIDTH, h = 100] = (svg.getAttribute('viewBox') ?? '').split(' ').map(Number);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = svg.querySelectorAll('rect, text');
  clone.querySelectorAll('rect, text').forEach((el, i) => {
    const style = getComputedStyle(originals[i]!);
    el.setAttribute('fill', style.fill);
    if (el.tagName === 'rect') el.setAttribute('fill-opacity', style.opacity);
    else el.setAttribute('style', `font: ${style.fontSize} ${style.fontFamily}`);
  });
  const ns = 'http://www.w3.org/2000/svg';
  const out = document.createElementNS(ns, 'svg');
  const height = h + TITLE_H;
  out.setAttribute('xmlns', ns);
  out.setAttribute('viewBox', `0 0 ${w} ${height}`);
  out.setAttribute('width', String(w));
  out.setAttribute('height', String(height));
  const bg = document.createElementNS(ns, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#fff');
  out.appendChild(bg);
  const caption = document.createElementNS(ns, 'text');
  caption.setAttribute('x', '8');
  caption.setAttribute('y', '22');
  caption.setAttribute('style', `font: bold 15px ${getComputedStyle(svg).fontFamily}`);
  caption.textContent = title;
  out.appendChild(caption);
  const body = document.createElementNS(ns, 'g');
  body.setAttribute('transform', `translate(0 ${TITLE_H})`);
  while (clone.firstChild) body.appendChild(clone.firstChild);
  out.appendChild(body);
  return { text: new XMLSerializer().serializeToString(out), width: w, height };
}

async function savePng(svg: SVGSVGElement, title: string): Promise<void> {
  const { text, width, height } = standaloneSvg(svg, title);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width * PNG_SCALE;
  canvas.height = height * PNG_SCALE;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas');
  ctx.scale(PNG_SCALE, PNG_SCALE);
  ctx.drawImage(img, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('png');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${title.replace(/[\\/:*?"<>|（）()]/g, '')}.png`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

export function BarChart(props: { title: string; bars: readonly Bar[]; unit?: string; hideZero?: boolean }) {
  const bars = props.hideZero ? props.bars.filter((b) => b.value > 0) : props.bars;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const plot = WIDTH - LABEL_W - VALUE_W;
  const height = Math.max(1, bars.length) * ROW + 4;
  const svgRef = useRef<SVGSVGElement>(null);
  const [error, setError] = useState('');
  const save = async () => {
    if (!svgRef.current) return;
    try {
      setError('');
      await savePng(svgRef.current, props.title);
    } catch {
      setError('图片生成失败，请用浏览器截图');
    }
  };
  return (
    <figure class="bar-chart">
      <figcaption>
        <span>{props.title}</span>
        {bars.length > 0 && (
          <button type="button" class="chart-save" aria-label={`保存图片：${props.title}`} onClick={() => void save()}>
            保存图片
          </button>
        )}
      </figcaption>
      {error && (
        <p role="alert" class="warn">
          {error}
        </p>
      )}
      {bars.length === 0 ? (
        <p class="muted">暂无数据</p>
      ) : (
        <svg ref={svgRef} viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={props.title} preserveAspectRatio="xMinYMin meet">
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
