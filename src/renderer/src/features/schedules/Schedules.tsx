/**
 * Schedules with their next run; enable, disable and delete without leaving the list. Below:
 * backfill jobs with their progress, the e-mail outbox (what waits, what the server refused),
 * and the runs the scheduler made with their slot and recipients.
 */
import { useState } from 'react';
import { call } from '../../api/client';
import { useQuery } from '../../app/useQuery';
import { usePoll } from '../../app/usePoll';
import type { BackfillJobJson, OutboxJson, RunJson } from '../../../../shared/contract';
import { RunTable } from '../runs/RunTable';

function BackfillJobs({ jobs, onChange }: { jobs: BackfillJobJson[]; onChange: () => void }) {
  if (jobs.length === 0) return <p className="muted">No backfill jobs. Ask for one in the Builder’s Schedule step.</p>;
  return (
    <table className="table" data-testid="backfills">
      <caption>Backfill jobs</caption>
      <thead>
        <tr><th scope="col">Window</th><th scope="col">Segments</th><th scope="col">Progress</th><th scope="col">Status</th><th scope="col">Actions</th></tr>
      </thead>
      <tbody>
        {jobs.map((j) => {
          const done = j.segments.completed + j.segments.failed;
          return (
            <tr key={j.id}>
              <th scope="row">{j.from} → {j.to}</th>
              <td>{j.segments.total} {j.segment}, {j.parallel} at a time</td>
              <td>
                <progress max={j.segments.total} value={done} aria-label={`Backfill ${j.id}: ${done} of ${j.segments.total} segments`} /> {done} / {j.segments.total}
              </td>
              <td>
                <span className={`status ${j.status === 'completed' ? 'succeeded' : j.status === 'running' ? 'running' : 'failed'}`}>{j.status}</span>
                {j.failures.length > 0 && <span className="muted"> — {j.failures.length} failed: {j.failures.slice(0, 3).map((f) => `${f.periodEnd} (${f.error ?? 'error'})`).join('; ')}</span>}
              </td>
              <td>{j.status === 'running' && <button onClick={() => void call('backfill/cancel', { id: j.id }).then(onChange, onChange)}>Cancel</button>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Outbox({ messages, onChange }: { messages: OutboxJson[]; onChange: () => void }) {
  if (messages.length === 0) return <p className="muted">No e-mail yet. Recipients of a schedule get its files after each run.</p>;
  return (
    <table className="table" data-testid="outbox">
      <caption>E-mail outbox</caption>
      <thead>
        <tr><th scope="col">To</th><th scope="col">Subject</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Actions</th></tr>
      </thead>
      <tbody>
        {messages.map((m) => (
          <tr key={m.id}>
            <td>{m.recipient}</td>
            <td>{m.subject}</td>
            <td>
              <span className={`status ${m.state === 'sent' ? 'succeeded' : m.state === 'failed' ? 'failed' : 'running'}`}>{m.state === 'pending' ? 'waiting' : m.state}</span>
              {m.state === 'pending' && <span className="muted"> — next try {new Date(m.nextAttemptAt).toLocaleTimeString()}</span>}
              {m.lastError && m.state !== 'sent' && <span className="muted"> — {m.lastError}</span>}
            </td>
            <td className="num">{m.attempts}</td>
            <td>{m.state === 'failed' && <button onClick={() => void call('outbox/retry', { id: m.id }).then(onChange, onChange)}>Send again</button>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Schedules() {
  const [q, reload] = useQuery('schedules/list', {});
  const [backfills, setBackfills] = useState<BackfillJobJson[]>([]);
  const [outbox, setOutbox] = useState<OutboxJson[]>([]);
  const [runs, setRuns] = useState<RunJson[]>([]);
  const [pass, setPass] = useState<string | null>(null);
  const refreshJobs = async () => {
    const [b, o, r] = await Promise.all([call('backfill/list', {}), call('outbox/list', {}), call('runs/list', { limit: 200 })]);
    setBackfills(b);
    setOutbox(o);
    setRuns(r.runs.filter((x) => x.trigger !== 'manual').slice(0, 20));
  };
  usePoll(refreshJobs, backfills.some((j) => j.status === 'running') || outbox.some((m) => m.state === 'pending') ? 1000 : 5000);
  const act = (work: Promise<unknown>) => void work.then(reload, reload);
  const runNow = () =>
    void call('schedules/runDue', {}).then((s) => {
      setPass(s.started ? 'Running what is due…' : 'A run is already going.');
      setTimeout(() => void Promise.all([refreshJobs(), Promise.resolve(reload())]).then(() => setPass(null)), 1500);
    });
  return (
    <section aria-labelledby="sched-title">
      <div className="page-head">
        <h1 id="sched-title">Schedules</h1>
        <p className="muted">Reports that run on their own while SiteReport is open; missed runs are caught up when it opens. Build one in the Builder’s Schedule step.</p>
        <button onClick={runNow}>Run what is due now</button>
        {pass && <p role="status">{pass}</p>}
      </div>
      {q.kind === 'loading' && <p className="muted">Loading…</p>}
      {q.kind === 'error' && <p role="alert" className="error">{q.message}</p>}
      {q.kind === 'ready' && q.value.length === 0 && <p className="panel">No schedules yet.</p>}
      {q.kind === 'ready' && q.value.length > 0 && (
        <table className="table" data-testid="schedules">
          <caption>{q.value.length} schedules</caption>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">When</th><th scope="col">Last run</th><th scope="col">Next run</th><th scope="col">Delivery</th><th scope="col">Actions</th></tr>
          </thead>
          <tbody>
            {q.value.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.name}</th>
                <td>{s.specText}</td>
                <td>{s.lastRunAt ? new Date(s.lastRunAt).toLocaleString() : '—'}</td>
                <td>{s.enabled ? (s.nextRunAt ? new Date(s.nextRunAt).toLocaleString() : '—') : 'disabled'}</td>
                <td>{s.formats.map((f) => f.toUpperCase()).join(', ')} → <code>{s.folder}</code>{s.recipients.length > 0 && ` · ${s.recipients.join(', ')}`}</td>
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
      <div className="panel">
        <h2>Scheduled runs</h2>
        <RunTable runs={runs} caption="Latest scheduled, catch-up and backfill runs" />
      </div>
      <div className="panel">
        <h2>Backfill</h2>
        <BackfillJobs jobs={backfills} onChange={() => void refreshJobs()} />
      </div>
      <div className="panel">
        <h2>E-mail</h2>
        <Outbox messages={outbox} onChange={() => void refreshJobs()} />
      </div>
    </section>
  );
}
