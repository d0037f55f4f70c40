/** Small HTTP clients for tests: undici for normal requests, raw sockets for malformed ones. */
import { connect } from 'node:net';
import { request } from 'undici';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any;
  ms: number;
}

export async function predict(base: string, body: unknown, headers: Record<string, string> = {}, path = '/v1/models/fraud:predict'): Promise<Reply> {
  const t0 = performance.now();
  const r = await request(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.body.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.statusCode, headers: r.headers, body: text, json, ms: performance.now() - t0 };
}

/** Sends raw bytes and returns the raw response text (until the server closes or `waitMs`). */
export function rawRequest(port: number, bytes: string | Buffer, waitMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(t);
      s.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const t = setTimeout(finish, waitMs);
    s.on('data', (c) => chunks.push(c));
    s.on('end', finish);
    s.on('error', finish);
    s.on('connect', () => s.write(bytes));
  });
}

export function parseRaw(text: string): { status: number; headers: Record<string, string>; body: string; json: any } {
  const [head, ...rest] = text.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const status = Number(lines[0]?.split(' ')[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  const body = rest.join('\r\n\r\n');
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, headers, body, json };
}

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
