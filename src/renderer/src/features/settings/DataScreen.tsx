import { useQuery } from '../../app/useQuery';
import { ImportPanel } from './ImportPanel';
import { SyncPanel } from './SyncPanel';

export function DataScreen() {
  const [info] = useQuery('app/info', {});
  const [projects] = useQuery('projects/list', {});
  return (
    <section aria-labelledby="data-title">
      <div className="page-head">
        <h1 id="data-title">Data</h1>
        <p className="muted">Where the project data lives and when it last changed.</p>
      </div>
      {info.kind === 'ready' && (
        <dl className="panel facts">
          <dt>Database</dt>
          <dd><code>{info.value.dbPath}</code></dd>
          <dt>Size</dt>
          <dd>{(info.value.dbSizeBytes / 1048576).toFixed(1)} MB</dd>
          <dt>Schema version</dt>
          <dd>{info.value.schemaVersion}</dd>
        </dl>
      )}
      {projects.kind === 'ready' && (
        <table className="table">
          <caption>Projects</caption>
          <thead>
            <tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Source</th><th scope="col">Last synced</th><th scope="col">Time zone</th></tr>
          </thead>
          <tbody>
            {projects.value.map((p) => (
              <tr key={p.code}><td>{p.code}</td><td>{p.name}</td><td>{p.source}</td><td>{p.lastSyncedAt?.slice(0, 16).replace('T', ' ') ?? 'never'}</td><td>{p.timeZone}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <SyncPanel />
      <ImportPanel />
    </section>
  );
}
