/**
 * OpenAI-compatible requests (pure): the route is the one whose `models` holds the body's
 * `model`; a variant (or shadow) with its own `model` gets the body with `model` replaced.
 */

/** The body's `model`, or undefined when the body has none. */
export function openaiModel(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const m = (body as Record<string, unknown>).model;
  return typeof m === 'string' && m !== '' ? m : undefined;
}

/**
 * The bytes to send: the received ones when the model stays, else the parsed body with
 * `model` replaced (then plain JSON: `encoded` tells the caller to drop content-encoding).
 */
export function bodyForModel(received: Buffer, parsed: unknown, asked: string, target: string | undefined): { body: Buffer; reencoded: boolean } {
  if (target === undefined || target === asked) return { body: received, reencoded: false };
  return { body: Buffer.from(JSON.stringify({ ...(parsed as Record<string, unknown>), model: target })), reencoded: true };
}

/** Header list without content-encoding and the binary-extension length (the body changed). */
export function withoutEncoding(headers: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) if (headers[i] !== 'content-encoding') out.push(headers[i], headers[i + 1]);
  return out;
}
