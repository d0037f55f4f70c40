/**
 * `modelgate ctl ...`: the admin API from a terminal. MODELGATE_ADMIN_URL / --url,
 * MODELGATE_ADMIN_TOKEN / --token; tables by default, --json for scripts. Writes read the
 * current ETag first and send it as If-Match.
 */
import type { Command } from 'commander';
import { registerDriftCommand } from '../ctl/drift.ts';
import { registerCanaryCommands } from '../ctl/canary.ts';
import { registerExperimentCommands } from '../ctl/experiment.ts';
import { registerPerformanceCommand } from '../ctl/performance.ts';
import { ctlActions, type Output, type ShadowSpec } from '../ctl/actions.ts';
import { AdminClient } from '../ctl/client.ts';
import { AdminCallError } from '../errors.ts';

interface GlobalOpts {
  url?: string;
  token?: string;
  json?: boolean;
}

type Actions = ReturnType<typeof ctlActions>;

function run(cmd: Command, fn: (a: Actions) => Promise<Output>): Promise<void> {
  const o = cmd.optsWithGlobals<GlobalOpts>();
  const url = o.url ?? process.env.MODELGATE_ADMIN_URL ?? 'http://127.0.0.1:8081';
  const token = o.token ?? process.env.MODELGATE_ADMIN_TOKEN;
  return fn(ctlActions(new AdminClient({ url, token }))).then(
    (r) => {
      if (r.body?.warning && !o.json) process.stderr.write(`warning: ${r.body.warning}\n`);
      process.stdout.write(o.json ? `${JSON.stringify(r.body, null, 2)}\n` : `${r.text}\n`);
    },
    (e: unknown) => {
      process.stderr.write(`modelgate ctl: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = e instanceof AdminCallError && e.status === 0 ? 3 : 1;
    },
  );
}

const num = (s: string) => Number(s);

export function defineCtl(program: Command): void {
  const ctl = program
    .command('ctl')
    .description('operate gateways through the admin API (MODELGATE_ADMIN_URL, MODELGATE_ADMIN_TOKEN)')
    .option('--url <url>', 'admin API base URL (or MODELGATE_ADMIN_URL; default http://127.0.0.1:8081)')
    .option('--token <token>', 'bearer token (prefer MODELGATE_ADMIN_TOKEN: flags show in ps)')
    .option('--json', 'print the JSON answer, for scripts');

  ctl.command('routes').description('list routes and their weights').action((_o, c: Command) => run(c, (a) => a.routes()));
  ctl.command('show <route>').description('one route: variants, weights, shadows').action((route: string, _o, c: Command) => run(c, (a) => a.show(route)));
  ctl
    .command('weights <route> <weights...>')
    .description('set every variant\'s weight, e.g. `weights fraud v1=75 v2=25`')
    .action((route: string, w: string[], _o, c: Command) => run(c, (a) => a.weights(route, w)));
  ctl
    .command('dry-run <route> <weights...>')
    .description('share of units that would change variant, per pair, without changing anything')
    .action((route: string, w: string[], _o, c: Command) => run(c, (a) => a.dryRun(route, w)));
  ctl.command('explain <route> <unit>').description('bucket, slot, variant and shadowing of a unit id').action((route: string, unit: string, _o, c: Command) => run(c, (a) => a.explain(route, unit)));
  ctl
    .command('rerandomize <route>')
    .description('new salt and a fresh slot table (every unit is reassigned)')
    .option('--salt <salt>', 'the new salt (default: random)')
    .action((route: string, o: { salt?: string }, c: Command) => run(c, (a) => a.rerandomize(route, o.salt)));
  ctl.command('put <route> <file>').description('create or replace a route from a YAML or JSON file').action((route: string, file: string, _o, c: Command) => run(c, (a) => a.put(route, file)));
  ctl.command('delete <route>').description('remove a route').action((route: string, _o, c: Command) => run(c, (a) => a.remove(route)));

  const shadow = ctl.command('shadow').description('list, add/change, remove shadows of a route');
  shadow.command('list <route>').action((route: string, _o, c: Command) => run(c, (a) => a.shadowList(route)));
  shadow
    .command('set <route> <name> <backend>')
    .description('add a shadow, or change the one with this name')
    .option('--percent <p>', 'share of units copied (0-100)', num)
    .option('--timeout-ms <ms>', 'shadow timeout', num)
    .option('--max-inflight <n>', 'cap on concurrent copies', num)
    .option('--model <model>', 'model name sent to the shadow')
    .option('--model-version <v>', 'version label')
    .action((route: string, name: string, backend: string, o: { percent?: number; timeoutMs?: number; maxInflight?: number; model?: string; modelVersion?: string }, c: Command) => {
      const spec: ShadowSpec = { name, backend };
      if (o.percent !== undefined) spec.percent = o.percent;
      if (o.timeoutMs !== undefined) spec.timeout_ms = o.timeoutMs;
      if (o.maxInflight !== undefined) spec.max_inflight = o.maxInflight;
      if (o.model) spec.model = o.model;
      if (o.modelVersion) spec.version = o.modelVersion;
      return run(c, (a) => a.shadowSet(route, spec));
    });
  shadow.command('remove <route> <name>').action((route: string, name: string, _o, c: Command) => run(c, (a) => a.shadowRemove(route, name)));
  shadow.command('clear <route>').description('remove every shadow').action((route: string, _o, c: Command) => run(c, (a) => a.shadowClear(route)));

  ctl.command('history').option('--limit <n>', 'how many versions').description('config versions, newest first').action((o: { limit?: string }, c: Command) => run(c, (a) => a.history(o.limit)));
  ctl.command('restore <version>').description('make an earlier version current again (as a new version)').action((v: string, _o, c: Command) => run(c, (a) => a.restore(v)));
  ctl.command('audit').option('--limit <n>', 'how many entries').description('who changed what, when').action((o: { limit?: string }, c: Command) => run(c, (a) => a.audit(o.limit)));
  ctl.command('replicas').description('replicas and the config version each applied').action((_o, c: Command) => run(c, (a) => a.replicas()));
  registerDriftCommand(ctl);
  registerCanaryCommands(ctl);
  registerExperimentCommands(ctl);
  registerPerformanceCommand(ctl);
}
