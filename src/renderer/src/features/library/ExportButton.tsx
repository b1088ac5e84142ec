/** Export a library report now as XLSX: a background job with a progress bar and cancel. */
import type { LibraryItemJson } from '../../../../shared/contract';
import { useExportJobs } from '../../app/useExportJobs';

export function ExportButton({ item, onDone }: { item: LibraryItemJson; onDone: () => void }) {
  const { jobs, error, start, cancel } = useExportJobs(onDone);
  const job = jobs[0];
  const begin = () => {
    const source = item.builtinId
      ? ({ kind: 'builtin', reportId: item.builtinId as 'progress-summary' } as const)
      : ({ kind: 'definition', id: item.id } as const);
    void start([{ source, format: 'xlsx', fileName: item.name }]);
  };

  if (job?.status === 'running') {
    const pct = job.totalRows ? Math.round((100 * job.rowsWritten) / job.totalRows) : null;
    return (
      <span className="job">
        <progress max={100} value={pct ?? undefined} aria-label={`Exporting ${item.name}`} />
        <button onClick={() => cancel(job.id)}>Cancel</button>
      </span>
    );
  }
  return (
    <>
      <button onClick={begin}>Export XLSX</button>
      {job?.status === 'succeeded' && <span className="muted small" data-testid="export-done"> saved {job.file?.split(/[\\/]/).pop()} ({job.rowsWritten.toLocaleString('en-US')} rows)</span>}
      {job?.status === 'failed' && <span className="error small"> {job.error}</span>}
      {job?.status === 'cancelled' && <span className="muted small"> cancelled</span>}
      {error && <span className="error small"> {error}</span>}
    </>
  );
}
