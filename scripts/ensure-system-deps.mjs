// The Debian packages `npm test` and `npm run demo` need, checked in the first second and
// installed when missing and possible (root with apt-get), one line per install. Otherwise it
// fails at once with the one line to run. Usage: node scripts/ensure-system-deps.mjs test|demo
// MODELGATE_SKIP_SYSTEM_DEPS=1 skips the check (e.g. an image that provides them elsewhere).
import { spawnSync } from 'node:child_process';

/** Debian package → the commands it provides, and why it is needed */
const PACKAGES = {
  'redis-server': { commands: ['redis-server'], why: 'tests and the demo start private redis-server instances' },
  prometheus: { commands: ['promtool', 'prometheus'], why: 'promtool and a real Prometheus for the metrics tests' },
  chromium: { commands: ['chromium', 'chromium-browser'], any: true, why: "a headless browser for the console's tests" },
};

/** what each npm script needs */
export const NEEDS = {
  test: ['redis-server', 'prometheus', 'chromium'],
  demo: ['redis-server'],
};

const has = (cmd) => spawnSync('/bin/sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

export function missingPackages(names, hasCommand = has) {
  return names.filter((n) => {
    const p = PACKAGES[n];
    return p.any ? !p.commands.some(hasCommand) : !p.commands.every(hasCommand);
  });
}

export function installLine(missing) {
  return `sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`;
}

function main() {
  const target = process.argv[2];
  if (!NEEDS[target]) {
    process.stderr.write(`usage: ensure-system-deps.mjs ${Object.keys(NEEDS).join('|')}\n`);
    process.exit(2);
  }
  if (process.env.MODELGATE_SKIP_SYSTEM_DEPS === '1') return;
  // the demo uses the Redis in REDIS_URL when it is set, and needs no redis-server then
  const wanted = NEEDS[target].filter((n) => !(target === 'demo' && n === 'redis-server' && process.env.REDIS_URL));
  const missing = missingPackages(wanted);
  if (!missing.length) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !has('apt-get')) {
    process.stderr.write(`modelgate: \`npm ${target === 'test' ? 'test' : 'run demo'}\` needs the Debian package${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. Run:\n  ${installLine(missing)}\n`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
  if (!apt(['update', '-qq'])) process.stderr.write('modelgate: apt-get update failed; trying the install anyway\n');
  for (const name of missing) {
    process.stdout.write(`installing ${name} (${PACKAGES[name].why})\n`);
    if (!apt(['install', '-y', '-qq', '--no-install-recommends', name])) {
      process.stderr.write(`modelgate: could not install ${name}. Run:\n  ${installLine([name])}\n`);
      process.exit(1);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
