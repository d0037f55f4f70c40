/** Each column's PSI in the current window as a bar, with the moderate and significant thresholds drawn in (SVG). */
import { num } from './format.ts';

const FILL: Record<string, string> = { stable: '#2e7d32', moderate: '#e0a800', significant: '#c62828', insufficient_data: '#9aa4b1' };

export function PsiBars({ title, cols, moderate, significant }: { title: string; cols: [string, any][]; moderate: number; significant: number }) {
  const rowH = 22;
  const left = 110;
  const width = 460;
  const max = Math.max(significant * 1.5, ...cols.map(([, c]) => c.psi ?? 0));
  const x = (v: number) => left + (v / max) * (width - left - 50);
  const height = cols.length * rowH + 30;
  return (
    <svg class="psi-bars" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      {cols.map(([name, c], i) => (
        <g>
          <text x={left - 8} y={i * rowH + 15} text-anchor="end" font-size="12">
            {name}
          </text>
          <rect x={left} y={i * rowH + 4} width={Math.max(1, x(c.psi ?? 0) - left)} height={rowH - 8} fill={FILL[c.status] ?? '#9aa4b1'} />
          <text x={x(c.psi ?? 0) + 4} y={i * rowH + 15} font-size="11" fill="#4a5360">
            {num(c.psi)}
          </text>
        </g>
      ))}
      {[
        [moderate, '#e0a800', 'moderate', 'end'],
        [significant, '#c62828', 'significant', 'start'],
      ].map(([v, color, label, anchor]) => (
        <g>
          <line x1={x(v as number)} x2={x(v as number)} y1={0} y2={cols.length * rowH + 4} stroke={color as string} stroke-dasharray="5 3" />
          <text x={x(v as number) + (anchor === 'end' ? -3 : 3)} y={cols.length * rowH + 20} font-size="11" text-anchor={anchor as string} fill={color as string}>
            {label} {v}
          </text>
        </g>
      ))}
    </svg>
  );
}
