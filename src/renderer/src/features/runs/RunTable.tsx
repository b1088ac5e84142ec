/** Run history: when, what, how it was started, outcome, duration, rows and files. */
import type { RunJson } from '../../../../shared/contract';

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
            <td>
              <span className={`status ${r.status}`}>{r.status}</span>
              {r.error && <span className="muted"> — {r.error}</span>}
            </td>
            <td className="num">{duration(r)}</td>
            <td className="num">{r.rowCount?.toLocaleString('en-US') ?? '—'}</td>
            <td>{r.files.map((f) => <code key={f}>{f.split(/[\\/]/).pop()}</code>)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
