/**
 * Shadow copies of gRPC calls: sent after the live answer, detached from the client, each
 * bounded by its own channel, timeout and in-flight cap (over the cap: dropped and counted,
 * never queued). Answers are compared with the live output (byte-identical answers agree
 * without decoding) and logged as role `shadow`; they are never served.
 */
import { Metadata } from '@grpc/grpc-js';
import type { GatewayEvents } from '../gateway/events.ts';
import type { LogSink } from '../predictions/record.ts';
import type { CompiledRoute, CompiledShadow } from '../routing/compile.ts';
import type { Decision } from '../routing/select.ts';
import { compareOutputs } from '../upstream/compare.ts';
import { parseChecked } from '../upstream/shadow.ts';
import { methodPath } from './proto.ts';
import type { GrpcRouteRuntime } from './route-runtime.ts';
import { httpStatusOf } from './status.ts';
import { withModelName, type InferHead } from './wire.ts';

export interface GrpcMirrorInput {
  route: CompiledRoute;
  rt: GrpcRouteRuntime;
  decision: Decision;
  body: Buffer;
  head: InferHead;
  rid: string;
  ts: number;
  unit: string | null;
  /** the request as OIP REST JSON, shared with the live entry */
  request: unknown;
  /** the live answer's bytes and its JSON form, when it succeeded */
  liveBody?: Buffer;
  liveJson?: Buffer;
  cfg: number;
}

/** the JSON the gateway made from an answer: flat, but read through the one depth-checked parse */
const parse = (b: Buffer | undefined): unknown => parseChecked(b, 64);

export class GrpcShadows {
  constructor(
    private readonly events: GatewayEvents,
    private readonly sink: LogSink,
    /** an answer as the OIP REST JSON the log and the comparison read (bounded) */
    private readonly json: (raw: Buffer) => Buffer | undefined,
  ) {}

  fire(input: GrpcMirrorInput): void {
    let live: unknown;
    let parsed = false;
    const liveValue = () => (parsed ? live : ((parsed = true), (live = parse(input.liveJson))));
    for (const shadow of input.decision.shadows) {
      try {
        this.one(input, shadow, liveValue);
      } catch {
        /* a shadow never hurts the live path */
      }
    }
  }

  private one(input: GrpcMirrorInput, shadow: CompiledShadow, live: () => unknown): void {
    const { route } = input;
    const index = route.shadows.indexOf(shadow);
    const backend = input.rt.shadows[index];
    if (!backend) return this.events.shadow(route, index, 'skipped');
    if (backend.full) return this.events.shadow(route, index, 'dropped');
    const md = new Metadata();
    md.set('x-request-id', input.rid);
    md.set('x-modelgate-shadow', shadow.name);
    const model = shadow.config.model;
    const body = model && model !== input.head.modelName ? withModelName(input.body, model) : input.body;
    const { done } = backend.unary(methodPath('ModelInfer'), body, md, shadow.config.timeout_ms);
    done
      .then((r) => {
        const seconds = r.ms / 1000;
        let json: Buffer | undefined;
        if (!r.ok) this.events.shadow(route, index, r.reason === 'timeout' ? 'timeout' : r.reason === 'over_capacity' ? 'dropped' : 'error', seconds);
        else {
          this.events.shadow(route, index, 'ok', seconds);
          json = this.json(r.body);
          if (input.liveBody) {
            if (r.body.equals(input.liveBody)) this.events.comparison(route, index, 'agree', 0);
            else {
              const c = compareOutputs(live(), parse(json), shadow.config.tolerance);
              this.events.comparison(route, index, c.result, c.absDiff);
            }
          }
        }
        if (!input.decision.logged) return;
        this.sink.push({
          ts: input.ts,
          rid: input.rid,
          route,
          variant: shadow.name,
          version: shadow.config.version,
          role: 'shadow',
          assign: input.decision.assign,
          unit: input.unit,
          bucket: input.decision.bucket,
          status: r.ok ? 200 : r.reason === 'timeout' ? 504 : r.reason === 'status' ? httpStatusOf(r.grpcCode) : 502,
          latencyMs: r.ms,
          protocol: 'grpc',
          request: input.request,
          response: json,
          error: r.ok ? undefined : r.reason === 'timeout' ? 'UPSTREAM_TIMEOUT' : r.reason === 'status' ? undefined : 'UPSTREAM_UNAVAILABLE',
          cfg: input.cfg,
        });
      })
      .catch(() => {
        /* counted above; never thrown out of the shadow path */
      });
  }
}
