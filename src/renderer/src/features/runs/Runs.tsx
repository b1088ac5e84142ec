import { useQuery } from '../../app/useQuery';
import { RunTable } from './RunTable';

export function Runs() {
  const [q] = useQuery('runs/list', { limit: 200 });
  return (
    <section aria-labelledby="runs-title">
      <div className="page-head">
        <h1 id="runs-title">Runs</h1>
        <p className="muted">Every report run and export, newest first.</p>
      </div>
      {q.kind === 'loading' && <p className="muted">Loading…</p>}
      {q.kind === 'error' && <p role="alert" className="error">{q.message}</p>}
      {q.kind === 'ready' && <RunTable runs={q.value.runs} caption="Run history" />}
    </section>
  );
}
