/**
 * Sync from the company's PipeTrak PostgreSQL server: the address (the password goes in its own
 * field, is sent for this sync only and never stored), a progress bar and Cancel while it runs,
 * and the status line: last success, rows in / changed / deleted / skipped, duration, last error.
 * Open reports reload by themselves when the sync has changed the data.
 */
import { useEffect, useState } from 'react';
import { call } from '../../api/client';
import { usePoll } from '../../app/usePoll';
import type { SyncStatusJson } from '../../../../shared/contract';

const TABLE_WORDS: Record<string, string> = {
  Project: 'projects',
  ROCConfigurations: 'ROC configurations',
  Drawing: 'drawings',
  Component: 'components',
  ComponentMilestone: 'milestones',
  AuditLog: 'audit entries',
};
const n = (x: number) => x.toLocaleString('en-US');
const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') + ' UTC' : 'never');

function withPassword(address: string, password: string): string {
  if (!password) return address;
  const at = address.indexOf('@');
  const scheme = address.indexOf('://');
  if (scheme < 0) return address;
  const user = at > scheme ? address.slice(scheme + 3, at).split(':')[0] : '';
  const rest = at > scheme ? address.slice(at + 1) : address.slice(scheme + 3);
  return `${address.slice(0, scheme + 3)}${user}:${encodeURIComponent(password)}@${rest}`;
}

export function SyncPanel() {
  const [status, setStatus] = useState<SyncStatusJson | null>(null);
  const [address, setAddress] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const running = status?.state === 'running';

  const refresh = async () => setStatus(await call('sync/status', {}));
  useEffect(() => {
    void call('sync/status', {}).then((s) => {
      setStatus(s);
      if (s.source) setAddress(s.source);
    });
  }, []);
  usePoll(refresh, running ? 500 : 10_000);

  const start = () => {
    setError(null);
    call('sync/start', { url: withPassword(address.trim(), password) })
      .then(setStatus)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const cancel = () => void call('sync/cancel', {}).then(setStatus);
  const p = status?.progress;

  return (
    <div className="panel" aria-labelledby="sync-title">
      <h2 id="sync-title">Sync from the PipeTrak server</h2>
      <p className="muted small">Reads the company’s PostgreSQL database (read-only) when the site office is online. Only what changed since the last sync is fetched; the local data stays usable offline and after any failure.</p>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <label>
          Server address
          <input type="text" value={address} onChange={(e) => setAddress(e.target.value)} placeholder="postgres://reader@pipetrak.example:5432/pipetrak" size={52} spellCheck={false} autoComplete="off" required disabled={running} />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" disabled={running} />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={running || !address.trim()}>Sync now</button>
          {running && <button type="button" onClick={cancel}>Cancel</button>}
        </div>
      </form>
      {running && p && (
        <p role="status" data-testid="sync-progress">
          {p.phase === 'reading' ? 'Reading' : p.phase === 'deleting' ? 'Checking for deleted' : 'Updating figures for'} {TABLE_WORDS[p.table] ?? p.table}{' '}
          <progress max={Math.max(1, p.total)} value={p.done} aria-label={`Sync progress: ${TABLE_WORDS[p.table] ?? p.table}`} /> {n(p.done)} / {n(p.total)}
        </p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {status && status.state !== 'never' && (
        <dl className="facts" data-testid="sync-status">
          <dt>Last sync</dt>
          <dd>
            {status.state === 'succeeded' ? 'succeeded' : status.state === 'running' ? 'running' : status.state === 'interrupted' ? 'interrupted (the app or command stopped); the next sync continues' : status.state}
            {status.finishedAt ? `, ${when(status.finishedAt)}` : ''}
            {status.durationMs !== null ? ` in ${(status.durationMs / 1000).toFixed(1)} s` : ''}
          </dd>
          <dt>Last success</dt>
          <dd>{when(status.lastSuccessAt)}</dd>
          <dt>Server</dt>
          <dd><code>{status.source}</code></dd>
          <dt>Rows</dt>
          <dd>{n(status.rowsIn)} read, {n(status.rowsChanged)} new or changed, {n(status.rowsDeleted)} deleted, {n(status.skippedCount)} skipped</dd>
          {status.lastError && (
            <>
              <dt>Problem</dt>
              <dd role="alert" className="error">{status.lastError}</dd>
            </>
          )}
        </dl>
      )}
      {status && status.skippedCount > 0 && (
        <details>
          <summary>{n(status.skippedCount)} server row{status.skippedCount === 1 ? '' : 's'} could not be taken</summary>
          <ul className="small">
            {status.skipped.map((s) => <li key={`${s.table}:${s.id}`}>{TABLE_WORDS[s.table] ?? s.table} {s.id}: {s.reason}</li>)}
          </ul>
        </details>
      )}
    </div>
  );
}
