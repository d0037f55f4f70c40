/** The experiment as readable tables for `modelgate ctl experiment status` (pure). */
import Table from 'cli-table3';
import type { ExperimentView } from './view.ts';

const table = (head: string[]) => new Table({ head, style: { head: [], border: [] } });
const num = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : Math.abs(x) > 0 && Math.abs(x) < 1e-4 ? x.toExponential(2) : String(+x.toFixed(digits)));
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${+(x * 100).toFixed(2)}%`);
const when = (ts: number) => new Date(ts).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
const ci = (c: [number, number] | null) => (c ? `[${num(c[0])}, ${num(c[1])}]` : '-');

export function duration(ms: number | null): string {
  if (ms === null) return 'unknown';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function formatExperiment(v: ExperimentView): string {
  const p = v.plan;
  const lines = [
    `route ${v.route}: experiment ${v.id} ${v.status} (started ${when(v.started_at)} by ${v.started_by}${v.ended_at ? `, ended ${when(v.ended_at)}` : ''})`,
    `arms ${p.arms.join(' vs ')} (control ${p.arms[0]}); metric ${p.metric} (${p.kind}, goal ${p.goal}); mde ${p.mde}; alpha ${p.alpha}; power ${p.power}; tau ${p.tau ?? p.mde}`,
  ];
  const pl = v.planning;
  lines.push(
    pl.units_per_arm === null
      ? `planning: units per arm unknown (${pl.note ?? 'no variance yet'})`
      : `planning: ${pl.units_per_arm} units per arm (${pl.basis}${pl.baseline_rate !== undefined ? `, baseline rate ${pl.baseline_rate}` : ''}${pl.sd !== undefined ? `, sd ${num(pl.sd)}` : ''}); progress ${pct(pl.progress)}; expected remaining ${duration(pl.expected_remaining_ms)}`,
  );
  const mr = v.min_runtime;
  if (mr && v.status === 'running') {
    if (!mr.reached) lines.push(`minimum runtime ${mr.min_days} day(s): winner can be declared after ${when(mr.not_before)}${mr.pending ? `; pending: ${mr.pending.decision === 'winner' ? `${mr.pending.winner} wins` : 'inconclusive'} (always-valid p ${num(mr.pending.always_valid_p)}), held until then` : ''}`);
    else lines.push(`minimum runtime ${mr.min_days} day(s): reached ${when(mr.not_before)}`);
  } else if (mr) lines.push(`minimum runtime ${mr.min_days} day(s)`);
  if (v.reason) lines.push(`${v.status === 'concluded' ? 'verdict' : 'reason'}: ${v.reason}`);
  if (v.action) lines.push(`action: ${v.action.kind} ${v.action.arm}: ${v.action.applied ? `applied (config version ${v.action.version})` : `failed (${v.action.error})`}`);
  const r = v.results;
  if (!r) {
    lines.push('no results yet (the monitor writes them once it sees traffic)');
    return lines.join('\n');
  }
  const t = table(['arm', 'units', p.kind === 'binary' ? 'rate' : 'mean', 'CI', 'diff vs control', 'diff CI', 'p fixed', 'p always-valid']);
  for (const a of r.primary.arms) {
    const c = r.primary.comparisons.find((x) => x.arm === a.arm);
    t.push([a.arm, String(a.units), num(a.estimate), ci(a.ci), c ? num(c.difference) : '(control)', c ? ci(c.difference_ci) : '-', c ? num(c.p_fixed) : '-', c ? num(c.p_always_valid) : '-']);
  }
  lines.push(t.toString());
  lines.push(`SRM: p ${num(r.srm.pvalue)}${r.srm.alarm ? ' ALARM (assignment does not match the weights)' : ''}`);
  if (r.guardrails.length) {
    const g = table(['guardrail', 'arm', 'status', 'value', 'control', 'limit']);
    for (const s of r.guardrails) g.push([s.metric, s.arm, s.status, num(s.value), num(s.control), s.limit]);
    lines.push(g.toString());
  }
  const j = r.join;
  lines.push(`outcomes: ${j.matched} matched, ${j.pending} waiting, ${j.unmatched} unmatched, ${j.excluded} excluded (forced/random), ${j.duplicate} duplicate; ${j.crossovers} crossovers, ${j.overflow_units} units over the bound`);
  return lines.join('\n');
}
