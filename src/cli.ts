/** `modelgate <command>`: parses flags and starts one process. Each command lives in commands/. */
import { Command } from 'commander';
import { defineGateway } from './commands/gateway.ts';
import { defineDemo } from './commands/demo.ts';
import { defineCtl } from './commands/ctl.ts';
import { defineMonitor } from './commands/monitor.ts';
import { defineBaseline } from './commands/baseline.ts';

const program = new Command('modelgate')
  .description('Model-serving gateway and traffic router: sticky A/B splits, canaries, shadows, prediction logging, drift')
  .showHelpAfterError();

for (const define of [defineGateway, defineMonitor, defineCtl, defineBaseline, defineDemo]) define(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`modelgate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
