/** Polls `probe` until it returns something other than undefined, and returns that. */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000, everyMs = 25, show?: () => unknown): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${show ? `: ${JSON.stringify(show())}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
