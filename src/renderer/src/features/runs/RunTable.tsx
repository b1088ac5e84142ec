/** Run history: when, what, how it was started, outcome, duration, rows and files. */
import { useState } from 'react';
import { call } from '../../api/client';
import type { RunJson } from '../../../../shared/contract';

/** Open a run's file or show it in its folder (desktop); web mode shows where the file is. */
function FileLink({ run, index, name }: { run: RunJson; index: number; name: string }) {
  const [note, setNote] = useState<string | null>(null);
  const open = (reveal: boolean) =>
    call('files/open', { runId: run.id, file: index, reveal })
      .then((r) => setNote(r.opened ? null : r.path))
      .catch((e: unknown) => setNote(e instanceof Error ? e.message : String(e)));
  return (
    <span className="file-link">
      <button className="link" onClick={() => void open(false)} title="Open the file">{name}</button>
      <button className="link small" onClick={() => void open(true)} aria-label={`Show ${name} in its folder`}>folder</button>
      {note && <code className="small">{note}</code>}
    </span>
  );
}

function duration(r: RunJson): string {
  if (!r.finishedAt) return '—';
  const ms = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function RunTable({ runs, caption }: { runs: RunJson[]; caption: string }) {
  if (runs.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <table className="table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Report</th>
          <th scope="col">Trigger</th>
          <th scope="col">Slot</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">Duration</th>
          <th scope="col" className="num">Rows</th>
          <th scope="col">Files</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id}>
            <td>{r.startedAt.slice(0, 16).replace('T', ' ')}</td>
            <td>{r.reportName}</td>
            <td>{r.trigger}</td>
            <td>{r.slot ? r.slot.slice(0, 16).replace('T', ' ') + ' UTC' : '—'}</td>
            <td>
              <span className={`status ${r.status}`}>{r.status}</span>
              {r.error && <span className="muted"> — {r.error}</span>}
            </td>
            <td className="num">{duration(r)}</td>
            <td className="num">{r.rowCount?.toLocaleString('en-US') ?? '—'}</td>
            <td>
              {r.files.map((f, i) => <FileLink key={f} run={r} index={i} name={f.split(/[\\/]/).pop() ?? f} />)}
              {r.recipients.length > 0 && <span className="muted small"> · mailed to {r.recipients.join(', ')}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
