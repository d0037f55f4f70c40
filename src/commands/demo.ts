/** `modelgate demo` (being built). */
import type { Command } from 'commander';

export function defineDemo(program: Command): void {
  program
    .command('demo')
    .description('start demo model backends and a gateway, and print requests to try')
    .action(async () => {
      const { runDemo } = await import('../demo/run.ts');
      await runDemo();
    });
}
