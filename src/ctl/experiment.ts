/**
 * `modelgate ctl experiment start|status|stop ROUTE`: A/B experiments through the admin API.
 * Registered on the ctl command by src/commands/ctl.ts: `registerExperimentCommands(ctl)`.
 *
 *   modelgate ctl experiment start fraud --metric converted --kind binary --baseline-rate 0.10 --mde 0.02 [--min-days 7]
 *   modelgate ctl experiment start fraud --file plan.json        (JSON or YAML; flags override it)
 *   modelgate ctl experiment status fraud [--json]
 *   modelgate ctl experiment stop fraud      (again: a no-op; the results stay)
 *   modelgate ctl experiment delete fraud    (a stopped or concluded one, with its results)
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseYaml } from './lazy-yaml.ts';
import { formatExperiment } from '../monitor/experiments/format.ts';
import type { ExperimentView } from '../monitor/experiments/view.ts';
import { AdminClient, routePath } from './client.ts';
import { AdminCallError } from '../errors.ts';

export interface StartOptions {
  file?: string;
  metric?: string;
  kind?: string;
  goal?: string;
  arms?: string;
  baselineRate?: string;
  mde?: string;
  sd?: string;
  alpha?: string;
  power?: string;
  tau?: string;
  minUnits?: string;
  minDays?: string;
  maxErrorRate?: string;
  maxP99Ms?: string;
  guardrail?: string[];
  onGuardrail?: string;
}

const number = (s: string | undefined, what: string): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n)) throw new Error(`${what} must be a number, got "${s}"`);
  return n;
};

/** The plan body from a file and flags (flags win); the server validates the rest. */
export function planFromOptions(o: StartOptions, readFile: (path: string) => string = (f) => readFileSync(f, 'utf8')): Record<string, unknown> {
  const plan: Record<string, unknown> = o.file ? ((parseYaml(readFile(o.file)) as Record<string, unknown>) ?? {}) : {};
  if (typeof plan !== 'object' || Array.isArray(plan)) throw new Error(`${o.file} does not hold a plan object`);
  const set = (k: string, v: unknown) => v !== undefined && (plan[k] = v);
  set('metric', o.metric);
  set('kind', o.kind);
  set('goal', o.goal);
  set('arms', o.arms?.split(',').map((s) => s.trim()).filter(Boolean));
  set('baseline_rate', number(o.baselineRate, '--baseline-rate'));
  set('mde', number(o.mde, '--mde'));
  set('sd', number(o.sd, '--sd'));
  set('alpha', number(o.alpha, '--alpha'));
  set('power', number(o.power, '--power'));
  set('tau', number(o.tau, '--tau'));
  set('min_units', number(o.minUnits, '--min-units'));
  set('min_days', number(o.minDays, '--min-days'));
  set('on_guardrail', o.onGuardrail);
  const guardrails = [...((plan.guardrails as unknown[]) ?? [])];
  const maxErr = number(o.maxErrorRate, '--max-error-rate');
  if (maxErr !== undefined) guardrails.push({ metric: 'error_rate', max: maxErr });
  const maxP99 = number(o.maxP99Ms, '--max-p99-ms');
  if (maxP99 !== undefined) guardrails.push({ metric: 'latency_p99', max_ms: maxP99 });
  for (const g of o.guardrail ?? []) {
    const m = /^([^:\s]+):(increase|decrease)(?::(binary|continuous))?$/.exec(g.trim());
    if (!m) throw new Error(`--guardrail "${g}" is not METRIC:increase|decrease[:binary|continuous] (the harmful direction)`);
    guardrails.push({ metric: m[1], bad: m[2], ...(m[3] ? { kind: m[3] } : {}) });
  }
  if (guardrails.length) plan.guardrails = guardrails;
  if (plan.metric === undefined) throw new Error('give the primary metric: --metric NAME (or "metric" in --file)');
  if (plan.mde === undefined) throw new Error('give the minimum detectable effect: --mde X (or "mde" in --file)');
  return plan;
}

type Globals = { url?: string; token?: string; json?: boolean };

async function run(cmd: Command, fn: (client: AdminClient) => Promise<ExperimentView | Record<string, unknown>>): Promise<void> {
  const o = cmd.optsWithGlobals<Globals>();
  const client = new AdminClient({ url: o.url ?? process.env.MODELGATE_ADMIN_URL ?? 'http://127.0.0.1:8081', token: o.token ?? process.env.MODELGATE_ADMIN_TOKEN });
  try {
    const body = await fn(client);
    const text = 'plan' in body ? formatExperiment(body as ExperimentView) : `experiment ${String(body.id)} of route ${String(body.route)} deleted`;
    const noop = (body as { changed?: boolean }).changed === false ? `nothing changed: the experiment is already ${String((body as ExperimentView).status)}; its results stay (delete them with \`modelgate ctl experiment delete ${String(body.route)}\`)\n` : '';
    process.stdout.write(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${noop}${text}\n`);
  } catch (e) {
    process.stderr.write(`modelgate ctl: ${(e as Error).message}\n`);
    process.exitCode = e instanceof AdminCallError && e.status === 0 ? 3 : 1;
  }
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerExperimentCommands(ctl: Command): void {
  const exp = ctl.command('experiment').description('A/B experiments on business outcomes: plan, live results, verdict');
  exp
    .command('start <route>')
    .description('start an experiment on a route (arms default to its variants, the first is control)')
    .option('--file <file>', 'the plan as JSON or YAML (flags override its keys)')
    .option('--metric <name>', 'primary outcome metric, e.g. converted')
    .option('--kind <kind>', 'binary (conversion) or continuous (a value per unit)')
    .option('--goal <goal>', 'increase (default) or decrease')
    .option('--arms <list>', 'variants to compare, control first, e.g. v1,v2')
    .option('--baseline-rate <p>', 'binary: the control conversion rate expected')
    .option('--mde <x>', 'minimum detectable effect (absolute: rate difference or mean difference)')
    .option('--sd <x>', 'continuous: the metric\'s standard deviation per unit, if known')
    .option('--alpha <a>', 'false-positive rate (default 0.05)')
    .option('--power <p>', 'power at the mde (default 0.8)')
    .option('--tau <t>', 'mSPRT mixing standard deviation (default: the mde)')
    .option('--min-units <n>', 'units per arm before tests are read (default 100)')
    .option('--min-days <d>', 'pre-registered minimum runtime: no winner is declared before d days (default 7, covering weekly cycles; guardrail stops stay immediate)')
    .option('--max-error-rate <r>', 'guardrail: stop if a treatment\'s error rate exceeds r')
    .option('--max-p99-ms <ms>', 'guardrail: stop if a treatment\'s p99 latency exceeds ms')
    .option('--guardrail <spec>', 'guardrail on an outcome metric, METRIC:increase|decrease[:kind] (harmful direction; repeatable)', collect)
    .option('--on-guardrail <action>', 'stop (default) or zero_losing_arm (set the breaching arm to 0 %)')
    .action((route: string, o: StartOptions, cmd: Command) =>
      run(cmd, async (c) => (await c.write<ExperimentView>('POST', routePath(route, '/experiment'), planFromOptions(o), routePath(route))).body),
    );
  exp
    .command('status <route>')
    .description('plan, planning, live results per arm, SRM, guardrails and verdict')
    .action((route: string, _o: unknown, cmd: Command) => run(cmd, async (c) => (await c.call<ExperimentView>('GET', routePath(route, '/experiment'))).body));
  exp
    .command('stop <route>')
    .description('stop the running experiment (results stay readable); stopping a stopped one changes nothing')
    .action((route: string, _o: unknown, cmd: Command) => run(cmd, async (c) => (await c.call('DELETE', routePath(route, '/experiment'))).body));
  exp
    .command('delete <route>')
    .description('delete a stopped or concluded experiment and its results (a running one must be stopped first)')
    .action((route: string, _o: unknown, cmd: Command) => run(cmd, async (c) => (await c.call('DELETE', routePath(route, '/experiment?purge=true'))).body));
}
