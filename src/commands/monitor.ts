/** `modelgate monitor` (filled in by its issue). */
import type { Command } from 'commander';

export function defineMonitor(program: Command): void {
  program
    .command('monitor')
    .description('(not built yet)')
    .action(() => {
      process.stderr.write('modelgate monitor: not built yet\n');
      process.exit(2);
    });
}
