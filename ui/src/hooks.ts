/** Polling a loader while a view is shown; errors are kept beside the last good value. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';

export interface Polled<T> {
  data: T | undefined;
  error: ApiError | undefined;
  reload: () => void;
}

export function usePoll<T>(load: () => Promise<T>, everyMs: number, deps: unknown[] = []): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const d = await load();
        if (!alive.current) return;
        setData(d);
        setError(undefined);
      } catch (e) {
        if (!alive.current) return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
      }
      if (alive.current && everyMs > 0) timer = setTimeout(run, everyMs);
    };
    void run();
    return () => {
      alive.current = false;
      if (timer) clearTimeout(timer);
    };
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}
