/** nginx with the equivalent split_clients (+ mirror) config, for the same-run comparison. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { start, childPids } from './procs.ts';

export const hasNginx = () => spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0;

export function nginxConfig(port: number, v1: number, v2: number, shadow?: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'mg-nginx-'));
  const mirror = shadow
    ? `mirror /mirror;\n      mirror_request_body on;`
    : '';
  const conf = `
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  upstream v1 { server 127.0.0.1:${v1}; keepalive 64; }
  upstream v2 { server 127.0.0.1:${v2}; keepalive 64; }
  ${shadow ? `upstream shadow { server 127.0.0.1:${shadow}; keepalive 64; }` : ''}
  split_clients "\${http_x_user_id}" $variant { 90% v1; * v2; }
  server {
    listen 127.0.0.1:${port};
    location /v1/models/ {
      ${mirror}
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://$variant;
    }
    ${shadow ? `location = /mirror { internal; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://shadow$request_uri; }` : ''}
  }
}`;
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, conf);
  return file;
}

export function startNginx(file: string) {
  const proc = start('nginx', ['-c', file, '-g', 'daemon off;']);
  return { proc, pids: () => [proc.pid!, ...childPids(proc.pid!)] };
}
