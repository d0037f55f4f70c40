/** `modelgate ctl` (filled in by its issue). */
import type { Command } from 'commander';

export function defineCtl(program: Command): void {
  program
    .command('ctl')
    .description('(not built yet)')
    .action(() => {
      process.stderr.write('modelgate ctl: not built yet\n');
      process.exit(2);
    });
}
