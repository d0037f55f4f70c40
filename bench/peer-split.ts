/**
 * The peers' sticky split (the peers in bench/): FNV-1a of the x-user-id header, 10,000 buckets,
 * the first 9,000 to v1 (90/10, like nginx's split_clients and modelgate's slot table).
 */
export function bucketOf(unit: string | undefined): number {
  if (unit === undefined) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < unit.length; i++) h = Math.imul(h ^ unit.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 10_000;
}

/** index 0 (v1, 90 %) or 1 (v2, 10 %) */
export const variantOf = (unit: string | undefined): 0 | 1 => (bucketOf(unit) < 9000 ? 0 : 1);

/** argv: listen port, v1 port, v2 port */
export function peerArgs(): { port: number; backends: [string, string] } {
  const [port, v1, v2] = process.argv.slice(2).map(Number);
  return { port, backends: [`http://127.0.0.1:${v1}`, `http://127.0.0.1:${v2}`] };
}
