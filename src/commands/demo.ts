/** `modelgate demo`: demo model backends, a gateway (and Redis and the monitor when available). */
import type { Command } from 'commander';

export function defineDemo(program: Command): void {
  program
    .command('demo')
    .description('start demo model backends, a private redis-server (if installed) and a gateway, and print requests to try')
    .option('-c, --config <file>', 'demo config (default config/demo.yaml)')
    .option('--traffic <rps>', 'also send steady demo traffic at this rate', (v) => Number(v))
    .option('--shift <feature>', 'shift one feature of the demo traffic: amount | merchant_risk | hour | country')
    .option('--shift-after <n>', 'start the shift after this many requests', (v) => Number(v), 0)
    .action(async (o: { config?: string; traffic?: number; shift?: 'amount'; shiftAfter?: number }) => {
      const { runDemo } = await import('../demo/run.ts');
      await runDemo(o);
    });
}
