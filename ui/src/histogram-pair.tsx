/**
 * One column's baseline and current-window histograms side by side (SVG), on the same share
 * scale so the bars compare at a glance: numeric columns on the reference's decile bins (the
 * bins PSI is computed on), categorical ones per category. Reads the `histogram` the drift
 * report carries per column: `edges` or `categories`, and `reference` / `current` counts.
 */
import { num } from './format.ts';

export interface Histogram {
  edges?: number[];
  categories?: string[];
  reference: number[];
  current: number[];
  /** categories folded into the last bin ("other") */
  folded?: number;
}

const W = 260;
const H = 150;
const LEFT = 34;
const BOTTOM = 34;

/** bin labels: the interval of each numeric bin (outer bins open), or the category */
export function binLabels(h: Histogram): string[] {
  if (h.categories) return h.categories;
  const e = h.edges ?? [];
  return h.reference.map((_, i) => (i === 0 ? `< ${num(e[0], 2)}` : i === e.length ? `≥ ${num(e[e.length - 1], 2)}` : `${num(e[i - 1], 2)}–${num(e[i], 2)}`));
}

export const shares = (counts: number[]): number[] => {
  const n = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (n > 0 ? c / n : 0));
};

function Panel({ title, heading, values, labels, max, fill, n }: { title: string; heading: string; values: number[]; labels: string[]; max: number; fill: string; n: number }) {
  const plotW = W - LEFT - 6;
  const plotH = H - BOTTOM - 18;
  const bw = plotW / Math.max(1, values.length);
  const y = (v: number) => 18 + plotH - (max > 0 ? (v / max) * plotH : 0);
  return (
    <svg class="histogram" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      <title>{title}</title>
      <text x={LEFT} y={12} font-size="12" font-weight="600">
        {heading} <tspan fill="#5f6b7a" font-weight="400">n = {n}</tspan>
      </text>
      <line x1={LEFT} x2={LEFT} y1={18} y2={18 + plotH} stroke="#9aa4b1" />
      <line x1={LEFT} x2={W - 6} y1={18 + plotH} y2={18 + plotH} stroke="#9aa4b1" />
      <text x={LEFT - 4} y={22} font-size="10" text-anchor="end" fill="#5f6b7a">
        {Math.round(max * 100)}%
      </text>
      <text x={LEFT - 4} y={18 + plotH} font-size="10" text-anchor="end" fill="#5f6b7a">
        0
      </text>
      {values.map((v, i) => (
        <g data-bin={i}>
          <rect x={LEFT + i * bw + 1} y={y(v)} width={Math.max(1, bw - 2)} height={18 + plotH - y(v)} fill={fill}>
            <title>{`${labels[i]}: ${(v * 100).toFixed(1)} %`}</title>
          </rect>
          {(values.length <= 12 || i % Math.ceil(values.length / 12) === 0) && (
            <text x={LEFT + i * bw + bw / 2} y={18 + plotH + 12} font-size="9" text-anchor="end" fill="#4a5360" transform={`rotate(-35 ${LEFT + i * bw + bw / 2} ${18 + plotH + 12})`}>
              {labels[i].length > 10 ? `${labels[i].slice(0, 9)}…` : labels[i]}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}

export function HistogramPair({ column, who, h }: { column: string; who: string; h: Histogram }) {
  const labels = binLabels(h);
  const ref = shares(h.reference);
  const cur = shares(h.current);
  const max = Math.max(0.01, ...ref, ...cur);
  const n = (c: number[]) => c.reduce((s, x) => s + x, 0);
  return (
    <figure class="histogram-pair" aria-label={`histograms of ${column} (${who})`}>
      <Panel title={`baseline histogram of ${column} (${who})`} heading={`${column}: baseline`} values={ref} labels={labels} max={max} fill="#7f9cbf" n={n(h.reference)} />
      <Panel title={`current histogram of ${column} (${who})`} heading={`${column}: window`} values={cur} labels={labels} max={max} fill="#d08a2e" n={n(h.current)} />
      <figcaption class="muted">
        {column}: share per {h.categories ? 'category' : 'reference decile bin'}
        {h.folded ? `; ${h.folded} rarer categories in “other”` : ''}
      </figcaption>
    </figure>
  );
}
