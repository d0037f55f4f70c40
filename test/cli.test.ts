/**
 * The CLI's first impression: `--version`, global flags in every subcommand's help, commands
 * loaded one at a time, and a `prepare` (what `npm ci` and `npx` run) that leaves a fresh
 * build alone instead of rebuilding it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { defineCtl } from '../src/commands/ctl.ts';
import { commandsFor } from '../src/cli.ts';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

function leaves(c: Command): Command[] {
  return c.commands.length ? c.commands.flatMap(leaves) : [c];
}

describe('modelgate CLI', () => {
  it('prints its version from package.json', () => {
    const out = execFileSync(process.execPath, ['bin/modelgate.js', '--version'], { encoding: 'utf8' });
    expect(out.trim()).toBe(pkg.version);
  });

  it('lists --json, --url and --token in the help of every ctl subcommand', () => {
    const program = new Command('modelgate').configureHelp({ showGlobalOptions: true });
    defineCtl(program);
    const all = leaves(program.commands[0]);
    expect(all.length).toBeGreaterThan(20);
    for (const c of all) {
      const help = c.helpInformation();
      for (const flag of ['--json', '--url <url>', '--token <token>']) expect(help, c.name()).toContain(flag);
    }
  });

  it('shows the global flags through the real binary', () => {
    const out = execFileSync(process.execPath, ['bin/modelgate.js', 'ctl', 'shadow', 'clear', '--help'], { encoding: 'utf8' });
    expect(out).toContain('Global Options');
    expect(out).toContain('--json');
    expect(out).toContain('--token');
  });

  it('loads only the command being run, and every command for help', () => {
    expect(commandsFor(['ctl', 'routes', '--json'])).toEqual(['ctl']);
    expect(commandsFor(['demo', '--traffic', '5'])).toEqual(['demo']);
    expect(commandsFor(['--help'])).toEqual(['gateway', 'monitor', 'ctl', 'baseline', 'demo']);
    expect(commandsFor(['nope'])).toHaveLength(5);
    expect(commandsFor(['--version'])).toEqual([]);
  });

  it('prepare does not rebuild or delete a fresh build', () => {
    expect(pkg.scripts.prepare).not.toMatch(/rm -rf/);
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'ignore' }); // make dist fresh if a source changed
    const before = statSync('dist/.build-stamp').mtimeMs;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(statSync('dist/.build-stamp').mtimeMs).toBe(before);
    expect(statSync('dist/cli.js').isFile()).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5000); // a tsc build takes far longer than a freshness check
  }, 120_000);
});
