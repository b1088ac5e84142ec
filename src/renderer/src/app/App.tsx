/** The app shell: navigation, project switcher, the open screen and a status bar. */
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { usePoll } from './usePoll';
import type { ExportJobJson } from '../../../shared/contract';
import { useApp, type View } from './store';
import { call } from '../api/client';
import { useQuery } from './useQuery';
import { Dashboard } from '../features/dashboard/Dashboard';
import { Library } from '../features/library/Library';
import { Runs } from '../features/runs/Runs';
import { Settings } from '../features/settings/Settings';
import { DataScreen } from '../features/settings/DataScreen';
import { Schedules } from '../features/schedules/Schedules';

// The grid library loads with the first screen that needs it, not with the dashboard.
const ComponentGrid = lazy(async () => ({ default: (await import('../features/components/ComponentGrid')).ComponentGrid }));
const Builder = lazy(async () => ({ default: (await import('../features/builder/Builder')).Builder }));

const NAV: Array<{ view: View; label: string }> = [
  { view: 'dashboard', label: 'Dashboard' },
  { view: 'components', label: 'Components' },
  { view: 'reports', label: 'Reports' },
  { view: 'builder', label: 'Builder' },
  { view: 'schedules', label: 'Schedules' },
  { view: 'runs', label: 'Runs' },
  { view: 'data', label: 'Data' },
  { view: 'settings', label: 'Settings' },
];

function Screen({ view }: { view: View }) {
  switch (view) {
    case 'dashboard':
      return <Dashboard />;
    case 'components':
      return <ComponentGrid />;
    case 'reports':
      return <Library />;
    case 'runs':
      return <Runs />;
    case 'settings':
      return <Settings />;
    case 'data':
      return <DataScreen />;
    case 'builder':
      return <Builder />;
    case 'schedules':
      return <Schedules />;
  }
}

/** Open views reload when the data changes (import, sync, a schedule's run, another window):
    a cheap version stamp is polled every 150 ms. */
function useLiveRefresh(): void {
  const refresh = useApp((s) => s.refresh);
  const last = useRef<string | null>(null);
  usePoll(async () => {
    const { version } = await call('app/dataVersion', {});
    if (last.current !== null && version !== last.current) refresh();
    last.current = version;
  }, 150);
}

/** Background exports in the status bar, with the progress of each running one. */
function StatusJobs() {
  const [jobs, setJobs] = useState<ExportJobJson[]>([]);
  usePoll(async () => setJobs((await call('exports/list', {})).filter((j) => j.status === 'running')), 500);
  if (jobs.length === 0) return <span>No background jobs</span>;
  return (
    <span className="status-jobs" role="status">
      {jobs.map((j) => (
        <span key={j.id}>
          {j.format.toUpperCase()} export <progress max={j.totalRows ?? undefined} value={j.rowsWritten} aria-label={`${j.format.toUpperCase()} export progress`} /> {j.rowsWritten.toLocaleString('en-US')}
          {j.totalRows ? ` / ${j.totalRows.toLocaleString('en-US')}` : ''} rows
        </span>
      ))}
    </span>
  );
}

export function App() {
  const { view, go, theme, projectCode, setProject } = useApp();
  useLiveRefresh();
  const [projects] = useQuery('projects/list', {});
  const [info] = useQuery('app/info', {});

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    if (!projectCode && projects.kind === 'ready' && projects.value[0]) setProject(projects.value[0].code);
  }, [projects, projectCode, setProject]);

  const project = projects.kind === 'ready' ? projects.value.find((p) => p.code === projectCode) : undefined;
  return (
    <div className="shell">
      <a className="skip" href="#main">Skip to content</a>
      <header className="topbar">
        <span className="brand">SiteReport</span>
        <label className="project-switch">
          <span className="sr-only">Project</span>
          <select value={projectCode ?? ''} onChange={(e) => setProject(e.target.value)} aria-label="Project">
            {projects.kind === 'ready' && projects.value.map((p) => <option key={p.code} value={p.code}>{p.name}</option>)}
          </select>
        </label>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {NAV.map((n) => (
            <li key={n.view}>
              <button aria-current={view === n.view ? 'page' : undefined} onClick={() => go(n.view)}>
                {n.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Screen view={view} />
        </Suspense>
      </main>
      <footer className="statusbar">
        <span>Data as of {project?.lastSyncedAt?.slice(0, 16).replace('T', ' ') ?? 'the demo (never synced)'}</span>
        {info.kind === 'ready' && <span>Database {(info.value.dbSizeBytes / 1048576).toFixed(1)} MB</span>}
        <StatusJobs />
      </footer>
    </div>
  );
}
