/** Starts an in-process gateway replica on ephemeral ports with a silent logger. */
import { parseConfig } from '../../src/config/load.ts';
import { startGateway, type GatewayHandle, type GatewayOptions } from '../../src/gateway/start.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';

export async function gatewayWith(raw: Record<string, unknown>, opts: GatewayOptions = {}, env: NodeJS.ProcessEnv = {}): Promise<GatewayHandle & { url: string }> {
  const cfg = parseConfig(
    {
      ...raw,
      listen: { host: '127.0.0.1', port: 0, ...((raw.listen as object) ?? {}) },
      admin: { port: 0, ...((raw.admin as object) ?? {}) },
    },
    'test',
    env,
  );
  const gw = await startGateway(cfg, { logger: silentLogger(), ...opts });
  return Object.assign(gw, { url: `http://127.0.0.1:${gw.dataPort}` });
}

/** A two-variant route over the given backends. */
export function splitRoute(backends: string[], extra: Record<string, unknown> = {}) {
  const w = 100 / backends.length;
  return {
    models: ['fraud'],
    unit: { header: 'x-user-id' },
    variants: backends.map((b, i) => ({ name: `v${i + 1}`, backend: b, version: `${i + 1}.0.0`, weight: i === backends.length - 1 ? 100 - w * (backends.length - 1) : w })),
    ...extra,
  };
}
