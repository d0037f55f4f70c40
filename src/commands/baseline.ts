/** `modelgate baseline` (filled in by its issue). */
import type { Command } from 'commander';

export function defineBaseline(program: Command): void {
  program
    .command('baseline')
    .description('(not built yet)')
    .action(() => {
      process.stderr.write('modelgate baseline: not built yet\n');
      process.exit(2);
    });
}
