/**
 * `modelgate ctl canary start|status|pause|resume|promote|abort ROUTE` and
 * `modelgate ctl shadows report ROUTE`: tables by default, --json for scripts. Registered on
 * the ctl command by src/commands/ctl.ts: `registerCanaryCommands(ctl)`.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseYaml } from './lazy-yaml.ts';
import { AdminClient, routePath } from './client.ts';
import { formatCanary, formatShadowReport } from './canary-format.ts';

export interface StartOptions {
  file?: string;
  canary?: string;
  stable?: string;
  steps?: string;
  stepMinMs?: string;
  stepMinRequests?: string;
  minWindowRequests?: string;
  errorMax?: string;
  errorRelative?: string;
  p99MaxMs?: string;
  p99Relative?: string;
  psiMax?: string;
  action?: string;
  srm?: string;
}

const number = (s: string, what: string): number => {
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n)) throw new Error(`${what} must be a number, got "${s}"`);
  return n;
};

/** The plan JSON from a file (YAML or JSON) or from flags. Pure apart from reading the file. */
export function planFromOptions(o: StartOptions): Record<string, unknown> {
  if (o.file) {
    const text = readFileSync(o.file, 'utf8');
    return (o.file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>;
  }
  if (!o.canary || !o.stable || !o.steps) throw new Error('give --canary, --stable and --steps (e.g. --steps 5,25,50,100), or --file plan.json');
  const plan: Record<string, unknown> = { canary: o.canary, stable: o.stable, steps: o.steps.split(',').map((s) => number(s.replace('%', ''), '--steps')) };
  if (o.stepMinMs) plan.step_min_ms = number(o.stepMinMs, '--step-min-ms');
  if (o.stepMinRequests) plan.step_min_requests = number(o.stepMinRequests, '--step-min-requests');
  if (o.minWindowRequests) plan.min_window_requests = number(o.minWindowRequests, '--min-window-requests');
  const action = o.action ?? 'rollback';
  const checks: Record<string, Record<string, unknown>> = {};
  if (o.errorMax || o.errorRelative) checks.error_rate = { action, ...(o.errorMax ? { max: number(o.errorMax, '--error-max') } : {}), ...(o.errorRelative ? { max_relative: number(o.errorRelative, '--error-relative') } : {}) };
  if (o.p99MaxMs || o.p99Relative) checks.latency_p99 = { action, ...(o.p99MaxMs ? { max_ms: number(o.p99MaxMs, '--p99-max-ms') } : {}), ...(o.p99Relative ? { max_relative: number(o.p99Relative, '--p99-relative') } : {}) };
  if (o.psiMax) checks.output_psi = { max: number(o.psiMax, '--psi-max'), action: 'hold' };
  if (o.srm) checks.srm = { action: o.srm };
  if (Object.keys(checks).length) plan.checks = checks;
  return plan;
}

export interface Output {
  body: any;
  text: string;
}

export function canaryActions(client: AdminClient) {
  const show = (body: any): Output => ({ body, text: formatCanary(body) });
  return {
    start: async (route: string, o: StartOptions) => show((await client.call('POST', routePath(route, '/canary'), planFromOptions(o))).body),
    status: async (route: string) => show((await client.call('GET', routePath(route, '/canary'))).body),
    op: async (route: string, op: 'pause' | 'resume' | 'promote' | 'abort') => show((await client.call('POST', routePath(route, `/canary/${op}`))).body),
    shadows: async (route: string): Promise<Output> => {
      const r = await client.call('GET', routePath(route, '/shadows/report'));
      return { body: r.body, text: formatShadowReport(r.body) };
    },
  };
}

type Actions = ReturnType<typeof canaryActions>;

function run(cmd: Command, fn: (a: Actions) => Promise<Output>): Promise<void> {
  const o = cmd.optsWithGlobals<{ url?: string; token?: string; json?: boolean }>();
  const client = new AdminClient({ url: o.url ?? process.env.MODELGATE_ADMIN_URL ?? 'http://127.0.0.1:8081', token: o.token ?? process.env.MODELGATE_ADMIN_TOKEN });
  return fn(canaryActions(client)).then(
    (r) => {
      process.stdout.write(o.json ? `${JSON.stringify(r.body, null, 2)}\n` : `${r.text}\n`);
    },
    (e: unknown) => {
      process.stderr.write(`modelgate ctl: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = (e as { status?: number }).status === 0 ? 3 : 1;
    },
  );
}

export function registerCanaryCommands(ctl: Command): void {
  const canary = ctl.command('canary').description('progressive delivery: start a canary plan, watch it, pause, resume, promote or abort it');
  canary
    .command('start <route>')
    .description('start a plan: the first step applies at once, the monitor moves the rest')
    .option('--file <file>', 'the plan as JSON or YAML (instead of the flags below)')
    .option('--canary <variant>', 'the new variant')
    .option('--stable <variant>', 'the variant it is judged against')
    .option('--steps <list>', 'canary percents, e.g. 5,25,50,100')
    .option('--step-min-ms <ms>', 'minimum duration of each step (default 60000)')
    .option('--step-min-requests <n>', 'canary requests each step needs (default 500)')
    .option('--min-window-requests <n>', 'requests per arm a window needs for a verdict (default monitor.min_entries)')
    .option('--error-max <share>', 'ceiling on the canary 5xx share, e.g. 0.02')
    .option('--error-relative <ratio>', 'ceiling on canary/stable 5xx share, e.g. 2')
    .option('--p99-max-ms <ms>', 'ceiling on canary p99 latency')
    .option('--p99-relative <ratio>', 'ceiling on canary/stable p99, e.g. 1.5')
    .option('--psi-max <psi>', 'hold when canary output PSI against stable exceeds this')
    .option('--action <action>', 'action of the error and latency checks: rollback (default), hold or warn')
    .option('--srm <action>', 'SRM check action: warn, hold or rollback')
    .action((route: string, o: StartOptions, c: Command) => run(c, (a) => a.start(route, o)));
  canary.command('status <route>').description('state, step, weight, reason, the last window\'s checks and the history').action((route: string, _o, c: Command) => run(c, (a) => a.status(route)));
  for (const op of ['pause', 'resume', 'promote', 'abort'] as const) {
    const what = { pause: 'stop moving weights (the canary keeps its weight)', resume: 'continue a paused plan (the current step starts over)', promote: 'put the canary at 100 % now and end the plan', abort: 'put the canary at 0 % now and end the plan' }[op];
    canary.command(`${op} <route>`).description(what).action((route: string, _o, c: Command) => run(c, (a) => a.op(route, op)));
  }
  const shadows = ctl.command('shadows').description('shadow reports from the monitor');
  shadows.command('report <route>').description('per shadow: agreement with live, output differences, latency, errors').action((route: string, _o, c: Command) => run(c, (a) => a.shadows(route)));
}
