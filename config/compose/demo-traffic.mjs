// Steady demo traffic for docker-compose.yml, so the dashboard has something to show:
// TRAFFIC_URL (default http://lb:8080), TRAFFIC_RATE requests/s (default 20), and optionally
// TRAFFIC_SHIFT (amount | merchant_risk | hour | country) after TRAFFIC_SHIFT_AFTER requests.
import { runTraffic } from '../../dist/demo/traffic.js';

const abort = new AbortController();
process.on('SIGTERM', () => abort.abort());
process.on('SIGINT', () => abort.abort());
const url = process.env.TRAFFIC_URL ?? 'http://lb:8080';
const rate = Number(process.env.TRAFFIC_RATE ?? 20);
process.stdout.write(`${JSON.stringify({ msg: 'demo traffic', url, rate })}\n`);
const r = await runTraffic(
  { url, rate, shift: process.env.TRAFFIC_SHIFT || undefined, shiftAfter: Number(process.env.TRAFFIC_SHIFT_AFTER ?? 0) },
  abort.signal,
);
process.stdout.write(`${JSON.stringify({ msg: 'demo traffic stopped', ...r })}\n`);
