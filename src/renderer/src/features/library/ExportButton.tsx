/** Export a library report now as XLSX: a background job with a progress bar and cancel. */
import { useEffect, useState } from 'react';
import { call } from '../../api/client';
import type { ExportJobJson, LibraryItemJson } from '../../../../shared/contract';

export function ExportButton({ item, onDone }: { item: LibraryItemJson; onDone: () => void }) {
  const [job, setJob] = useState<ExportJobJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!job || job.status !== 'running') return;
    const t = setInterval(() => {
      call('exports/list', {})
        .then((jobs) => {
          const now = jobs.find((j) => j.id === job.id);
          if (now) setJob(now);
          if (now && now.status !== 'running') onDone();
        })
        .catch((e: unknown) => setError(String(e)));
    }, 250);
    return () => clearInterval(t);
  }, [job, onDone]);

  const start = () => {
    setError(null);
    const source = item.builtinId
      ? ({ kind: 'builtin', reportId: item.builtinId as 'progress-summary' } as const)
      : ({ kind: 'definition', id: item.id } as const);
    call('exports/start', { source, format: 'xlsx', fileName: item.name })
      .then(setJob)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  if (job?.status === 'running') {
    const pct = job.totalRows ? Math.round((100 * job.rowsWritten) / job.totalRows) : null;
    return (
      <span className="job">
        <progress max={100} value={pct ?? undefined} aria-label={`Exporting ${item.name}`} />
        <button onClick={() => call('exports/cancel', { id: job.id }).then(setJob)}>Cancel</button>
      </span>
    );
  }
  return (
    <>
      <button onClick={start}>Export XLSX</button>
      {job?.status === 'succeeded' && <span className="muted small" data-testid="export-done"> saved {job.file?.split(/[\\/]/).pop()} ({job.rowsWritten.toLocaleString('en-US')} rows)</span>}
      {job?.status === 'failed' && <span className="error small"> {job.error}</span>}
      {job?.status === 'cancelled' && <span className="muted small"> cancelled</span>}
      {error && <span className="error small"> {error}</span>}
    </>
  );
}
