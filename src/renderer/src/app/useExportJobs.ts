/** Export jobs started from one place in the app: their progress while they run, and cancel. */
import { useEffect, useRef, useState } from 'react';
import { call } from '../api/client';
import type { ContractInput, ExportJobJson } from '../../../shared/contract';
import { usePoll } from './usePoll';

export function useExportJobs(onFinished?: () => void) {
  const [jobs, setJobs] = useState<ExportJobJson[]>([]);
  const [error, setError] = useState<string | null>(null);
  const running = jobs.some((j) => j.status === 'running');
  usePoll(
    async () => {
      const all = await call('exports/list', {});
      setJobs((mine) => mine.map((j) => all.find((a) => a.id === j.id) ?? j));
    },
    250,
    running,
  );
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) onFinished?.();
    wasRunning.current = running;
  }, [running, onFinished]);
  return {
    jobs,
    error,
    running,
    async start(inputs: Array<ContractInput<'exports/start'>>): Promise<boolean> {
      setError(null);
      try {
        setJobs(await Promise.all(inputs.map((i) => call('exports/start', i))));
        return true;
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        return false;
      }
    },
    cancel(id: string): void {
      void call('exports/cancel', { id }).then((c) => setJobs((all) => all.map((x) => (x.id === c.id ? c : x))));
    },
  };
}
