/** Variants of a route with weight, version and live rate, error rate and p99. */
import { ms, pct, rps } from './format.ts';

export function VariantTable({ variants, stats }: { variants: any[]; stats?: Record<string, any> }) {
  return (
    <table>
      <thead>
        <tr>
          <th>variant</th>
          <th>version</th>
          <th>weight</th>
          <th>rate</th>
          <th>errors</th>
          <th>p99</th>
        </tr>
      </thead>
      <tbody>
        {variants.map((v) => {
          const s = stats?.[v.name];
          return (
            <tr data-variant={v.name}>
              <td>{v.name}</td>
              <td>{v.version}</td>
              <td>{v.weight} %</td>
              <td>{rps(s?.rps)}</td>
              <td>{pct(s?.error_rate, 2)}</td>
              <td>{ms(s?.p99_ms)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
