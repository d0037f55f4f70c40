/**
 * A client-gone signal: the part of AbortSignal the data plane uses (`aborted`, one or two
 * `abort` listeners), without AbortController's per-request cost (an EventTarget, a
 * DOMException reason, listener bookkeeping: ~2 % of a split's CPU in bench/profiles/split.md).
 * An AbortSignal is one too, so callers may pass either.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', fn: () => void): void;
  removeEventListener(type: 'abort', fn: () => void): void;
}

export class ClientGone implements CancelSignal {
  aborted = false;
  private a: (() => void) | undefined;
  private more: Array<() => void> | undefined;

  addEventListener(_type: 'abort', fn: () => void): void {
    if (this.a === undefined) this.a = fn;
    else (this.more ??= []).push(fn);
  }

  removeEventListener(_type: 'abort', fn: () => void): void {
    if (this.a === fn) this.a = undefined;
    else if (this.more) {
      const i = this.more.indexOf(fn);
      if (i >= 0) this.more.splice(i, 1);
    }
  }

  /** marks the signal aborted and calls each listener once (in the order added) */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const a = this.a;
    const more = this.more;
    this.a = undefined;
    this.more = undefined;
    a?.();
    if (more) for (const fn of more) fn();
  }
}
