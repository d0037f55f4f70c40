// The demo model backends of docker-compose.yml: the three fraud scorers of `modelgate demo`,
// on the ports the compose config routes to (fraud-v1 :9001, fraud-v2 :9002, fraud-v3 :9003).
// Runs from the image's compiled build: node config/compose/demo-backends.mjs
import { startModelServer } from '../../dist/demo/backend.js';

export const BACKENDS = [
  { model: 'fraud-v1', port: 9001 },
  { model: 'fraud-v2', port: 9002 },
  { model: 'fraud-v3', port: 9003 },
];

const host = process.env.BACKENDS_HOST ?? '0.0.0.0';
const servers = [];
for (const b of BACKENDS) {
  const { server } = await startModelServer(b.model, b.port, host);
  servers.push(server);
  process.stdout.write(`${JSON.stringify({ msg: 'demo backend listening', model: b.model, host, port: b.port })}\n`);
}
const stop = () => {
  for (const s of servers) s.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
