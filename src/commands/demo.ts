/** `modelgate demo`: demo model backends, a gateway (and Redis and the monitor when available). */
import { Option, type Command } from 'commander';
import { parseCount, parsePortBase, parseRate, parseShift, SHIFTS } from '../demo/options.ts';

export function defineDemo(program: Command): void {
  program
    .command('demo')
    .description('start demo model backends, a private redis-server (if installed) and a gateway, and print requests to try')
    .option('-c, --config <file>', 'demo config (default config/demo.yaml)')
    .option('--port-base <n>', 'move every port: N data, N+1 admin, N+2 monitor, N+3 redis-server, N+10… model backends (default: the config\'s ports)', parsePortBase)
    .option('--traffic <rps>', 'also send steady demo traffic at this rate, and report outcomes for it', parseRate)
    .addOption(new Option('--shift <feature>', `shift one feature of the demo traffic (${SHIFTS.join(' | ')})`).argParser(parseShift))
    .option('--shift-after <n>', 'start the shift after this many requests', parseCount, 0)
    .option('--no-outcomes', 'send the traffic without reporting outcomes')
    .action(async (o: { config?: string; traffic?: number; shift?: (typeof SHIFTS)[number]; shiftAfter?: number; portBase?: number; outcomes?: boolean }) => {
      if (o.shift && !o.traffic) program.error('error: --shift needs --traffic (e.g. --traffic 50 --shift amount)');
      const { runDemo } = await import('../demo/run.ts');
      await runDemo(o);
    });
}
