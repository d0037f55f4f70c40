/**
 * `modelgate <command>`: parses flags and starts one process. Each command lives in commands/
 * and is imported only when it is the one being run (a `ctl` call loads no gateway code), so
 * the CLI starts in tens of milliseconds. Help and unknown commands load every definition.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';

type Define = (program: Command) => void;

/** command name → its definition module, loaded on demand */
const COMMANDS: Record<string, () => Promise<Define>> = {
  gateway: async () => (await import('./commands/gateway.ts')).defineGateway,
  monitor: async () => (await import('./commands/monitor.ts')).defineMonitor,
  ctl: async () => (await import('./commands/ctl.ts')).defineCtl,
  baseline: async () => (await import('./commands/baseline.ts')).defineBaseline,
  demo: async () => (await import('./commands/demo.ts')).defineDemo,
};

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The definitions a command line needs: its command's alone, none for --version, all for help. */
export function commandsFor(argv: readonly string[]): string[] {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first && first in COMMANDS) return [first];
  if (!first && argv.some((a) => a === '-V' || a === '--version')) return [];
  return Object.keys(COMMANDS);
}

async function main(): Promise<void> {
  const program = new Command('modelgate')
    .description('Model-serving gateway and traffic router: sticky A/B splits, canaries, shadows, prediction logging, drift')
    .version(packageVersion(), '-V, --version', 'print the modelgate version')
    .showHelpAfterError('(add --help for usage)')
    // every subcommand's help also lists the flags of the commands above it (ctl: --url, --token, --json)
    .configureHelp({ showGlobalOptions: true });
  for (const name of commandsFor(process.argv.slice(2))) (await COMMANDS[name]())(program);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  process.stderr.write(`modelgate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
