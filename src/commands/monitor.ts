/**
 * `modelgate monitor --config FILE` (or MODELGATE_CONFIG): the drift monitor process. Reads
 * the config's redis, routes and monitor blocks; serves /metrics and /healthz on
 * monitor.host:port. SIGTERM or SIGINT releases the route leases and exits 0.
 */
import type { Command } from 'commander';
import { loadConfigFile } from '../config/load.ts';
import { createConfigStore } from '../config/create-store.ts';
import { startMonitor } from '../monitor/runtime/monitor.ts';
import { monitorAnalyses } from '../monitor/analyses.ts';
import { createLogger } from '../telemetry/logger.ts';
import { createRegistry } from '../telemetry/registry.ts';
import { RedisFaults } from '../redis/faults.ts';
import { ConfigError } from '../errors.ts';

export function defineMonitor(program: Command): void {
  program
    .command('monitor')
    .description('run the drift monitor: reads the prediction streams, judges drift, serves /metrics')
    .option('-c, --config <file>', 'config file (or MODELGATE_CONFIG)')
    .action(async (o: { config?: string }) => {
      const file = o.config ?? process.env.MODELGATE_CONFIG;
      if (!file) {
        process.stderr.write('modelgate monitor: pass --config FILE or set MODELGATE_CONFIG\n');
        process.exit(2);
      }
      const logger = createLogger('monitor');
      let cfg;
      try {
        cfg = loadConfigFile(file);
      } catch (e) {
        process.stderr.write(`${e instanceof ConfigError ? e.message : String(e)}\n`);
        process.exit(2);
      }
      // the versioned config store: the canary controller changes weights through it
      const registry = createRegistry('monitor');
      const faults = new RedisFaults(registry, ['config', 'config-events', 'monitor']);
      const store = await createConfigStore(cfg, { logger: logger.child({ component: 'config-store' }), replicaId: `monitor-${process.pid}`, heartbeat: false, faults });
      const monitor = await startMonitor(cfg, { logger, registry, analyses: monitorAnalyses(), store, faults, routes: () => store.current().snapshot.routes });
      logger.info({ id: monitor.id, port: monitor.port, routes: Object.keys(cfg.routes) }, `monitor ${monitor.id} serving /metrics on ${cfg.monitor.host}:${monitor.port}`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'stopping: releasing route leases');
        const force = setTimeout(() => process.exit(1), 10_000);
        force.unref();
        monitor
          .close()
          .then(() => store.stop())
          .then(
            () => process.exit(0),
            () => process.exit(1),
          );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}
