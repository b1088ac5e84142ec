/** Schedules with their next run; enable, disable and delete without leaving the list. */
import { call } from '../../api/client';
import { useQuery } from '../../app/useQuery';

export function Schedules() {
  const [q, reload] = useQuery('schedules/list', {});
  const act = (work: Promise<unknown>) => void work.then(reload, reload);
  return (
    <section aria-labelledby="sched-title">
      <div className="page-head">
        <h1 id="sched-title">Schedules</h1>
        <p className="muted">Reports that run on their own. Build one in the Builder’s Schedule step.</p>
      </div>
      {q.kind === 'loading' && <p className="muted">Loading…</p>}
      {q.kind === 'error' && <p role="alert" className="error">{q.message}</p>}
      {q.kind === 'ready' && q.value.length === 0 && <p className="panel">No schedules yet.</p>}
      {q.kind === 'ready' && q.value.length > 0 && (
        <table className="table" data-testid="schedules">
          <caption>{q.value.length} schedules</caption>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">When</th><th scope="col">Next run</th><th scope="col">Delivery</th><th scope="col">Actions</th></tr>
          </thead>
          <tbody>
            {q.value.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.name}</th>
                <td>{s.specText}</td>
                <td>{s.enabled ? (s.nextRunAt ? new Date(s.nextRunAt).toLocaleString() : '—') : 'disabled'}</td>
                <td>{s.formats.map((f) => f.toUpperCase()).join(', ')} → <code>{s.folder}</code>{s.recipients.length > 0 && ` · ${s.recipients.length} recipient(s)`}</td>
                <td>
                  <div className="actions">
                    <button onClick={() => act(call('schedules/setEnabled', { id: s.id, enabled: !s.enabled }))}>{s.enabled ? 'Disable' : 'Enable'}</button>
                    <button className="danger" onClick={() => act(call('schedules/delete', { id: s.id }))}>Delete</button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
