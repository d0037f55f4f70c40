/** A small JSON diff of route configs for the audit trail: [{ path, from, to }]. */
export interface DiffOp {
  path: string;
  from?: unknown;
  to?: unknown;
}

function walk(a: unknown, b: unknown, path: string, out: DiffOp[]): void {
  if (a === b) return;
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) {
    out.push({ path: path || '/', ...(a === undefined ? {} : { from: a }), ...(b === undefined ? {} : { to: b }) });
    return;
  }
  // arrays of named items (variants, shadows) are compared by name
  if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every((x) => x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string')) {
    const byName = (arr: unknown[]) => new Map(arr.map((x) => [(x as { name: string }).name, x]));
    const ma = byName(a);
    const mb = byName(b);
    for (const k of new Set([...ma.keys(), ...mb.keys()])) walk(ma.get(k), mb.get(k), `${path}/${k}`, out);
    return;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
}

export function diffRoutes(a: unknown, b: unknown): DiffOp[] {
  const out: DiffOp[] = [];
  walk(a, b, '', out);
  return out;
}

/**
 * The one no-op rule for config writes: a transition whose routes and slot tables equal the
 * current ones is Unchanged, and the stores write no version, history or audit entry for it.
 */
export function unchanged(a: { routes: unknown; slots: unknown }, b: { routes: unknown; slots: unknown }): boolean {
  return diffRoutes(a.routes, b.routes).length === 0 && diffRoutes(a.slots, b.slots).length === 0;
}
