/** Step 2: run once or on a recurrence in a time zone (next five runs shown), optional
    backfill, and delivery: formats, folder and e-mail recipients. */
import { useEffect, useMemo, useState } from 'react';
import { call } from '../../api/client';
import { useQuery } from '../../app/useQuery';
import { useBuilder } from './builderStore';
import { EMAIL, recipientsOf, specOf } from './scheduleSpec';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const ZONES: string[] = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? ['UTC'];

export function ScheduleStep() {
  const { schedule: s, editSchedule } = useBuilder();
  const [folders, reloadFolders] = useQuery('exports/folders', {});
  const [folderError, setFolderError] = useState<string | null>(null);
  const chooseFolder = () => {
    setFolderError(null);
    call('exports/chooseFolder', {})
      .then((f) => {
        editSchedule({ folderId: f.id });
        reloadFolders();
      })
      .catch((e: unknown) => setFolderError(e instanceof Error ? e.message : String(e)));
  };
  const [runs, setRuns] = useState<{ runs: string[] } | { error: string } | null>(null);
  const spec = useMemo(() => specOf(s), [s]);
  useEffect(() => {
    if (!spec) {
      setRuns(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      call('schedules/preview', { spec, count: 5 })
        .then((r) => live && setRuns(r))
        .catch((e: unknown) => live && setRuns({ error: e instanceof Error ? e.message : String(e) }));
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [spec]);
  const badRecipients = recipientsOf(s.recipients).filter((r) => !EMAIL.test(r));
  const local = (iso: string) => new Date(iso).toLocaleString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  const there = (iso: string) => new Date(iso).toLocaleString(undefined, { timeZone: s.timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

  return (
    <div className="schedule-step">
      <fieldset className="panel">
        <legend>When</legend>
        <div className="chip-row" role="radiogroup" aria-label="Frequency">
          {(['once', 'daily', 'weekly', 'monthly', 'cron'] as const).map((m) => (
            <label key={m} className="radio">
              <input type="radio" name="frequency" checked={s.mode === m} onChange={() => editSchedule({ mode: m })} /> {m === 'once' ? 'Run once (no schedule)' : m === 'cron' ? 'Cron expression' : m[0]?.toUpperCase() + m.slice(1)}
            </label>
          ))}
        </div>
        {s.mode !== 'once' && (
          <div className="form-row">
            {s.mode !== 'cron' && (
              <label>Time <input type="time" value={s.time} onChange={(e) => editSchedule({ time: e.target.value })} /></label>
            )}
            <label>
              Time zone{' '}
              <select value={s.timezone} onChange={(e) => editSchedule({ timezone: e.target.value })}>
                {(ZONES.includes(s.timezone) ? ZONES : [s.timezone, ...ZONES]).map((z) => <option key={z} value={z}>{z}</option>)}
              </select>
            </label>
            {s.mode === 'weekly' && (
              <div role="group" aria-label="Days of the week" className="chip-row">
                {DAYS.map((d, i) => {
                  const on = s.daysOfWeek.includes(i + 1);
                  return (
                    <button key={d} className={`chip ${on ? 'on' : ''}`} aria-pressed={on} onClick={() => editSchedule({ daysOfWeek: on ? s.daysOfWeek.filter((x) => x !== i + 1) : [...s.daysOfWeek, i + 1] })}>
                      {d}
                    </button>
                  );
                })}
              </div>
            )}
            {s.mode === 'monthly' && (
              <label>Day of month <input type="number" min={1} max={31} value={s.dayOfMonth} onChange={(e) => editSchedule({ dayOfMonth: Number(e.target.value) })} /></label>
            )}
            {s.mode === 'cron' && (
              <label>Cron <input value={s.cron} onChange={(e) => editSchedule({ cron: e.target.value })} aria-describedby="cron-help" /></label>
            )}
            {s.mode === 'cron' && <span id="cron-help" className="muted small">minute hour day-of-month month day-of-week, e.g. 0 7 * * 1-5</span>}
          </div>
        )}
        {runs && 'runs' in runs && (
          <div>
            <h4>Next runs</h4>
            <ol className="next-runs" data-testid="next-runs">
              {runs.runs.map((r) => (
                <li key={r} data-utc={r}>
                  {local(r)} <span className="muted small">({there(r)} in {s.timezone})</span>
                </li>
              ))}
            </ol>
          </div>
        )}
        {runs && 'error' in runs && <p role="alert" className="error">{runs.error}</p>}
      </fieldset>
      {s.mode !== 'once' && (
        <fieldset className="panel">
          <legend>Backfill</legend>
          <label>
            <input type="checkbox" checked={s.backfill.enabled} onChange={(e) => editSchedule({ backfill: { ...s.backfill, enabled: e.target.checked } })} /> Also run for the past
          </label>
          {s.backfill.enabled && (
            <span className="form-row">
              <label>Days <input type="number" min={1} max={365} value={s.backfill.days} onChange={(e) => editSchedule({ backfill: { ...s.backfill, days: Number(e.target.value) } })} /></label>
              <label>
                Segments{' '}
                <select value={s.backfill.segment} onChange={(e) => editSchedule({ backfill: { ...s.backfill, segment: e.target.value as 'daily' } })}>
                  <option value="daily">daily</option>
                  <option value="weekly">weekly</option>
                  <option value="monthly">monthly</option>
                </select>
              </label>
              {(s.backfill.days < 1 || s.backfill.days > 365) && <span role="alert" className="error">A backfill covers 1 to 365 days.</span>}
            </span>
          )}
        </fieldset>
      )}
      <fieldset className="panel">
        <legend>Delivery</legend>
        <div role="group" aria-label="File formats" className="chip-row">
          {(['xlsx', 'pdf', 'csv', 'json'] as const).map((f) => {
            const on = s.formats.includes(f);
            return (
              <label key={f} className="radio">
                <input type="checkbox" checked={on} onChange={() => editSchedule({ formats: on ? s.formats.filter((x) => x !== f) : [...s.formats, f] })} /> {f.toUpperCase()}
              </label>
            );
          })}
        </div>
        {s.formats.length === 0 && <p role="alert" className="error">Choose at least one file format.</p>}
        <label>
          Folder{' '}
          <select value={s.folderId} onChange={(e) => editSchedule({ folderId: e.target.value })}>
            {folders.kind === 'ready' && folders.value.map((f) => <option key={f.id} value={f.id}>{f.path}</option>)}
          </select>
        </label>{' '}
        <button onClick={chooseFolder}>Choose folder…</button>
        {folderError && <span className="muted small"> {folderError}</span>}
        <label className="block">
          E-mail recipients (optional, comma-separated){' '}
          <input value={s.recipients} onChange={(e) => editSchedule({ recipients: e.target.value })} aria-invalid={badRecipients.length > 0} placeholder="site.manager@example.com" />
        </label>
        {badRecipients.length > 0 && <p role="alert" className="error">Not an e-mail address: {badRecipients.join(', ')}</p>}
      </fieldset>
    </div>
  );
}
