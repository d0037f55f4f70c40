/** `modelgate gateway --config FILE`: one data-plane replica (plus its admin port). */
import type { Command } from 'commander';
import { loadConfigFile } from '../config/load.ts';
import { startGateway } from '../gateway/start.ts';
import { createLogger } from '../telemetry/logger.ts';
import { ConfigError } from '../errors.ts';

export function configPathFrom(opts: { config?: string }): string {
  const path = opts.config ?? process.env.MODELGATE_CONFIG;
  if (!path) {
    process.stderr.write('modelgate: no config file: pass --config FILE or set MODELGATE_CONFIG\n');
    process.exit(2);
  }
  return path;
}

export function loadOrExit(path: string) {
  try {
    return loadConfigFile(path);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

export function defineGateway(program: Command): void {
  program
    .command('gateway')
    .description('run a gateway replica: predictions, /healthz, /readyz, /metrics, and the admin API on its own port')
    .option('-c, --config <file>', 'YAML config file (or MODELGATE_CONFIG)')
    .option('-w, --workers <n>', 'data-plane processes sharing the data port: a number or "auto" (the cores); or MODELGATE_WORKERS', process.env.MODELGATE_WORKERS ?? '1')
    .action(async (opts: { config?: string; workers?: string }) => {
      const cfg = loadOrExit(configPathFrom(opts));
      const logger = createLogger('gateway');
      const { default: cluster } = await import('node:cluster');
      const { parseWorkers } = await import('../gateway/workers-count.ts');
      const choice = parseWorkers(opts.workers, (await import('node:os')).availableParallelism());
      if (!choice.ok) {
        process.stderr.write(`modelgate: ${choice.message}\n`);
        process.exit(2);
      }
      if (cluster.isPrimary && choice.workers > 1) return (await import('../gateway/workers-primary.ts')).runPrimary(cfg, choice.workers, logger);
      const workerSide = await import('../gateway/workers-worker.ts');
      const gw = await startGateway(cfg, { logger, ...(await workerSide.clusterWorkerOptions(cfg)) });
      workerSide.announceWorker(gw);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        // SIGTERM (orchestrators): not ready, Connection: close, serve limits.drain_delay_ms, then stop; SIGINT: stop now
        logger.info({ signal, drainDelayMs: signal === 'SIGTERM' ? cfg.limits.drain_delay_ms : 0 }, 'shutting down: draining in-flight requests');
        (signal === 'SIGTERM' ? gw.drain() : gw.close()).then(
          () => process.exit(0),
          (err) => {
            logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}
