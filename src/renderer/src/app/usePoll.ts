/** Calls `tick` every `ms` while `active`, one call at a time (the next waits for the last). */
import { useEffect, useRef } from 'react';

export function usePoll(tick: () => Promise<void>, ms: number, active = true): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        await latest.current();
      } catch {
        // Offline or restarting: the next tick tries again.
      }
      if (!stopped) timer = setTimeout(() => void run(), ms);
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ms, active]);
}
