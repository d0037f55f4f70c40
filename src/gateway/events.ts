/**
 * What the data plane reports as it works. Core code calls these; telemetry implements them
 * (metrics, later traces and access logs). A no-op implementation costs nothing.
 */
import type { ErrorCode } from '../errors.ts';
import type { CompiledConfig, CompiledRoute } from '../routing/compile.ts';
import type { Assign } from '../routing/select.ts';

export type UpstreamFailure = 'connect' | 'reset' | 'timeout' | 'bad_response' | 'over_capacity' | 'status_5xx';
export type ShadowOutcome = 'ok' | 'error' | 'timeout' | 'dropped' | 'skipped';
export type ComparisonResult = 'agree' | 'disagree' | 'incomparable';

export interface GatewayEvents {
  /** a new config version is live */
  configApplied(config: CompiledConfig): void;
  /**
   * one live response sent (any status), `seconds` from accept to last byte written; `error`
   * is the gateway's error code when the gateway failed the request (absent when the
   * backend's answer was passed through)
   */
  response(route: CompiledRoute, variant: number, status: number, assign: Assign, seconds: number, error?: ErrorCode): void;
  /** a request refused before a route was chosen (400, 404, 413, 431, 503 ...) */
  rejected(code: ErrorCode): void;
  /** a streamed answer's headers went out, `seconds` from accept */
  ttfb?(route: CompiledRoute, variant: number, seconds: number): void;
  upstreamError(route: CompiledRoute, variant: number, reason: UpstreamFailure): void;
  retry(route: CompiledRoute, variant: number): void;
  shadow(route: CompiledRoute, shadow: number, outcome: ShadowOutcome, seconds?: number): void;
  comparison(route: CompiledRoute, shadow: number, result: ComparisonResult, absDiff?: number): void;
  inflight(delta: number): void;
  /** a live backend request cancelled because its client went away */
  upstreamCancelled(route: CompiledRoute, variant: number): void;
  /** an answer not fully written within limits.response_timeout_ms, destroyed */
  responseTimedOut(): void;
}
