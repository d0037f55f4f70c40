/**
 * THE outcome classification of one prediction-log entry, used by every analysis that counts
 * errors: canary checks, experiment guardrails, shadow reports, the admin traffic view
 * (documented in docs/monitor.md "What counts as an error").
 *
 * - `error`: the variant's backend failed the request: the entry carries an `UPSTREAM_*` code
 *   (refused, reset, bad response, timeout), or the backend answered 5xx.
 * - `excluded`: the gateway itself ended the request for a reason that says nothing about the
 *   variant (any other error code: the client went away, the gateway's in-flight cap, a body
 *   over the limits, an internal error), or the entry has no valid status. Excluded entries
 *   count neither as requests nor as errors of the variant.
 * - `ok`: everything else, 4xx answers of the backend included.
 * The error rate is errors / (ok + error). Pure.
 */

export type Outcome = 'ok' | 'error' | 'excluded';

/** The prefix of the error codes that blame the variant's backend (src/errors.ts). */
export const VARIANT_ERROR_PREFIX = 'UPSTREAM_';

/** How an entry counts for its variant. */
export function classifyOutcome(e: { error?: string | undefined; status: number }): Outcome {
  if (e.error !== undefined) return e.error.startsWith(VARIANT_ERROR_PREFIX) ? 'error' : 'excluded';
  if (!(e.status >= 100)) return 'excluded';
  return e.status >= 500 ? 'error' : 'ok';
}
