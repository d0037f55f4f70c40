/** Number formatting shared by every view (one definition of how a rate or a share reads). */
export const pct = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)} %`);
export const num = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));
export const ms = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`);
export const rps = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${x < 10 ? x.toFixed(1) : Math.round(x)}/s`);
export const when = (ts: number | string | null | undefined): string => (ts === null || ts === undefined ? '–' : new Date(ts).toLocaleString());
export const ago = (msAgo: number): string => (msAgo < 1500 ? 'just now' : msAgo < 90_000 ? `${Math.round(msAgo / 1000)} s ago` : `${Math.round(msAgo / 60_000)} min ago`);
