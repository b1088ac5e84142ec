/** Step 4: save the report, generate it now (progress bar, cancel, the file's name and folder)
    and save its schedule; the run shows in Runs and the schedule in Schedules. */
import { useState } from 'react';
import { call } from '../../api/client';
import { useApp } from '../../app/store';
import type { ScheduleJson } from '../../../../shared/contract';
import { useExportJobs } from '../../app/useExportJobs';
import { checkDefinition } from '../../../../shared/domain/reportDefinition';
import { audit, useBuilder } from './builderStore';
import { EMAIL, recipientsOf, specOf } from './scheduleSpec';

export function SubmitStep() {
  const { draft, schedule, savedId, setSavedId } = useBuilder();
  const projectCode = useApp((s) => s.projectCode) ?? undefined;
  const go = useApp((s) => s.go);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const exportJobs = useExportJobs();
  const { jobs, running } = exportJobs;
  const [saved, setSaved] = useState<ScheduleJson | null>(null);
  const check = checkDefinition(draft);

  const save = async (): Promise<string | null> => {
    setError(null);
    try {
      const item = await call('library/save', { id: savedId ?? undefined, definition: draft });
      setSavedId(item.id);
      audit(3, 'save', draft.name, item.id);
      setMessage(`Saved as report ${item.id} (revision ${item.revision}).`);
      return item.id;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return null;
    }
  };

  const generate = async () => {
    const id = await save();
    if (!id) return;
    if (await exportJobs.start(schedule.formats.map((format) => ({ source: { kind: 'definition', id, projectCode }, format, folderId: schedule.folderId, fileName: draft.name })))) audit(3, 'generate', draft.name, id);
  };

  const saveSchedule = async () => {
    const id = await save();
    const spec = specOf(schedule);
    if (!id || !spec) return;
    try {
      const s = await call('schedules/save', {
        name: draft.name,
        projectCode,
        target: { kind: 'definition', id },
        spec,
        formats: schedule.formats,
        folderId: schedule.folderId,
        recipients: recipientsOf(schedule.recipients),
        backfill: schedule.backfill.enabled ? { days: schedule.backfill.days, segment: schedule.backfill.segment } : null,
      });
      setSaved(s);
      audit(3, 'schedule', draft.name, id);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const badRecipients = recipientsOf(schedule.recipients).some((r) => !EMAIL.test(r));
  return (
    <div className="submit-step">
      {!check.ok && (
        <div role="alert" className="panel error">
          Fix these before saving: <ul>{check.issues.map((i) => <li key={i.path + i.message}>{i.path}: {i.message}</li>)}</ul>
        </div>
      )}
      <div className="actions">
        <button className="primary" disabled={!check.ok} onClick={() => void save()}>Save report</button>
        <button className="primary" disabled={!check.ok || running || schedule.formats.length === 0} onClick={() => void generate()}>
          Generate now ({schedule.formats.map((f) => f.toUpperCase()).join(', ') || 'no format'})
        </button>
        {schedule.mode !== 'once' && (
          <button className="primary" disabled={!check.ok || badRecipients || schedule.formats.length === 0} onClick={() => void saveSchedule()}>Save schedule</button>
        )}
      </div>
      <div role="status" aria-live="polite">
        {message && <p>{message}</p>}
        {(error ?? exportJobs.error) && <p className="error">{error ?? exportJobs.error}</p>}
      </div>
      {jobs.map((j) => (
        <div key={j.id} className="panel job-row" data-testid={`job-${j.format}`}>
          <strong>{j.format.toUpperCase()}</strong>{' '}
          {j.status === 'running' ? (
            <>
              <progress max={j.totalRows ?? undefined} value={j.rowsWritten} aria-label={`Writing the ${j.format.toUpperCase()} file`} /> {j.rowsWritten.toLocaleString('en-US')} rows{' '}
              <button onClick={() => exportJobs.cancel(j.id)}>Cancel</button>
            </>
          ) : j.status === 'succeeded' ? (
            <span data-testid="job-done">
              {j.file?.split(/[\\/]/).pop()} — {j.rowsWritten.toLocaleString('en-US')} rows, {((j.bytes ?? 0) / 1024).toFixed(0)} KB <span className="muted small">in {j.file?.replace(/[\\/][^\\/]*$/, '')}</span>
            </span>
          ) : (
            <span className={j.status === 'failed' ? 'error' : 'muted'}>{j.status}{j.error ? `: ${j.error}` : ''}</span>
          )}
        </div>
      ))}
      {saved && (
        <p className="panel">
          Schedule “{saved.name}” saved: {saved.specText}; next run {saved.nextRunAt ? new Date(saved.nextRunAt).toLocaleString() : '—'}.{' '}
          <button onClick={() => go('schedules')}>Open Schedules</button>
        </p>
      )}
    </div>
  );
}
