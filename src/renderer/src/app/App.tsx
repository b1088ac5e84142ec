import { useEffect, useState } from 'react';
import { call } from '../api/client';
import type { ProgressSummaryJson } from '../../../shared/domain/reportResults';
import type { AppInfoJson } from '../../../shared/contract';
import { KpiCards } from '../features/dashboard/KpiCards';
import { AreaTable } from '../features/dashboard/AreaTable';

type State =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; summary: ProgressSummaryJson; info: AppInfoJson };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    Promise.all([call('reports/run', { reportId: 'progress-summary' }), call('app/info', {})])
      .then(([summary, info]) => live && setState({ kind: 'ready', summary: summary as unknown as ProgressSummaryJson, info }))
      .catch((err: unknown) => live && setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
  }, []);

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">SiteReport</span>
        {state.kind === 'ready' && (
          <span className="project" title={state.summary.project.code}>
            {state.summary.project.name}
          </span>
        )}
      </header>
      <main className="content" aria-busy={state.kind === 'loading'}>
        {state.kind === 'loading' && <p className="muted">Loading project…</p>}
        {state.kind === 'error' && (
          <p role="alert" className="error">
            Could not load the project: {state.message}
          </p>
        )}
        {state.kind === 'ready' && (
          <>
            <h1>Progress summary</h1>
            <p className="muted">
              As of {state.summary.asOf} · data as of {state.summary.dataAsOf?.slice(0, 10) ?? 'unknown'}
            </p>
            <KpiCards figures={state.summary.summary} />
            <AreaTable rows={state.summary.areaBreakdown} />
          </>
        )}
      </main>
      {state.kind === 'ready' && (
        <footer className="statusbar">
          <span>Database {(state.info.dbSizeBytes / 1048576).toFixed(1)} MB</span>
          <span>Schema v{state.info.schemaVersion}</span>
        </footer>
      )}
    </div>
  );
}
