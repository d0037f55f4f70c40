/** A small uPlot line chart (time on x) with optional dashed threshold lines. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Line {
  label: string;
  values: (number | null)[];
  color: string;
  dash?: boolean;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b'];
export const color = (i: number): string => COLORS[i % COLORS.length];

export function Chart({ title, x, lines, height = 180, empty = 'no windows yet' }: { title: string; x: number[]; lines: Line[]; height?: number; empty?: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || x.length === 0) return;
    const width = Math.max(320, Math.min(720, el.clientWidth || 600));
    const plot = new uPlot(
      {
        width,
        height,
        title,
        // one point: a minute around it, not uPlot's degenerate multi-year range
        scales: { x: x.length === 1 ? { time: true, range: [x[0] - 30, x[0] + 30] } : { time: true } },
        legend: { show: true },
        series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: l.dash ? 1 : 2, dash: l.dash ? [6, 4] : undefined, points: { show: !l.dash } }))],
      },
      [x, ...lines.map((l) => l.values)] as uPlot.AlignedData,
      el,
    );
    return () => plot.destroy();
  }, [title, height, JSON.stringify(x), JSON.stringify(lines)]);
  if (x.length === 0) return <p class="muted">{title}: {empty}</p>;
  return <div class="chart" ref={host} role="img" aria-label={title} />;
}
