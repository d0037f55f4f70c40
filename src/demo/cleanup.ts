/**
 * Everything the demo started, stopped in reverse order on any way out: Ctrl-C, SIGTERM, a
 * failed start (a port clash), an uncaught error. Each step has a synchronous last resort
 * (kill the child, remove the folder) that also runs from process 'exit', so no redis-server
 * or temp folder outlives the demo even when a graceful step hangs or throws.
 */
export interface Step {
  name: string;
  stop: () => Promise<void> | void;
  /** synchronous fallback for process 'exit' (kill a child, rm a folder) */
  kill?: () => void;
}

export class Cleanup {
  private steps: Step[] = [];
  private ran = false;

  constructor(private readonly stepTimeoutMs = 5000) {
    process.once('exit', () => this.killAll());
  }

  add(step: Step): void {
    this.steps.push(step);
  }

  /** graceful stops, newest first; a step that throws or hangs does not stop the others */
  async run(): Promise<string[]> {
    if (this.ran) return [];
    this.ran = true;
    const problems: string[] = [];
    for (const s of [...this.steps].reverse()) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(s.stop),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`did not stop within ${this.stepTimeoutMs} ms`)), this.stepTimeoutMs))),
        ]);
      } catch (e) {
        problems.push(`${s.name}: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        clearTimeout(timer);
      }
    }
    this.killAll();
    return problems;
  }

  private killAll(): void {
    for (const s of [...this.steps].reverse()) {
      try {
        s.kill?.();
      } catch {
        // last resort: keep going
      }
    }
    this.steps = [];
  }
}
