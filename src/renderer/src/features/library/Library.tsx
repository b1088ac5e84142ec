/** The report library: system templates and saved reports, search and tags, duplicate, rename,
    delete with undo, export now, and the history of runs. */
import { useEffect, useState } from 'react';
import { call } from '../../api/client';
import { useApp } from '../../app/store';
import { useQuery } from '../../app/useQuery';
import type { LibraryItemJson } from '../../../../shared/contract';
import { RunTable } from '../runs/RunTable';
import { ExportButton } from './ExportButton';

export function Library() {
  const [search, setSearch] = useState('');
  const [tag, setTag] = useState<string | null>(null);
  const [q, reload] = useQuery('library/list', { search: search || undefined, tag: tag ?? undefined }, [search, tag]);
  const [runs, reloadRuns] = useQuery('runs/list', { limit: 20 });
  const [undo, setUndo] = useState<LibraryItemJson | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const refresh = useApp((s) => s.refresh);

  useEffect(() => {
    if (!undo) return;
    const t = setTimeout(() => setUndo(null), 10_000);
    return () => clearTimeout(t);
  }, [undo]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setMessage(done);
      reload();
      reloadRuns();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  };

  const tags = q.kind === 'ready' ? [...new Set(q.value.flatMap((i) => i.tags))].sort() : [];
  return (
    <section aria-labelledby="lib-title">
      <div className="page-head">
        <h1 id="lib-title">Reports</h1>
        <p className="muted">System templates and the reports you saved.</p>
      </div>
      <div className="toolbar">
        <label>
          Search <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name or description" />
        </label>
        {tags.map((t) => (
          <button key={t} className={`chip ${tag === t ? 'on' : ''}`} aria-pressed={tag === t} onClick={() => setTag(tag === t ? null : t)}>
            #{t}
          </button>
        ))}
      </div>
      <div role="status" aria-live="polite" className="toast-host">
        {undo && (
          <div className="toast">
            “{undo.name}” deleted.{' '}
            <button onClick={() => act(() => call('library/restore', { id: undo.id }).then(() => setUndo(null)), `“${undo.name}” restored`)}>Undo</button>
          </div>
        )}
        {!undo && message && <div className="toast">{message}</div>}
      </div>
      {q.kind === 'loading' && <p className="muted">Loading…</p>}
      {q.kind === 'error' && <p role="alert" className="error">{q.message}</p>}
      {q.kind === 'ready' && (
        <table className="table" data-testid="library">
          <caption>{q.value.length} reports</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Dataset</th>
              <th scope="col">Tags</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {q.value.map((item) => (
              <tr key={item.id}>
                <th scope="row">
                  {item.name}
                  <div className="muted small">{item.description}</div>
                </th>
                <td>{item.kind === 'system' ? 'template' : `saved · rev ${item.revision}`}</td>
                <td>{item.dataset}</td>
                <td>{item.tags.map((t) => `#${t}`).join(' ')}</td>
                <td>
                  <div className="actions">
                  <ExportButton item={item} onDone={() => { reloadRuns(); refresh(); }} />
                  <button onClick={() => act(() => call('library/duplicate', { id: item.id }), `Copied “${item.name}”`)}>Duplicate</button>
                  {item.kind === 'user' && (
                    <>
                      <button
                        onClick={() => {
                          const name = window.prompt('New name', item.name);
                          if (name && name.trim()) void act(() => call('library/rename', { id: item.id, name: name.trim() }), 'Renamed');
                        }}
                      >
                        Rename
                      </button>
                      <button
                        onClick={() => {
                          const text = window.prompt('Tags, separated by commas', item.tags.join(', '));
                          if (text !== null) void act(() => call('library/tags', { id: item.id, tags: text.split(',').map((t) => t.trim()).filter(Boolean) }), 'Tags saved');
                        }}
                      >
                        Tags
                      </button>
                      <button className="danger" onClick={() => act(() => call('library/delete', { id: item.id }).then(() => setUndo(item)), '')}>
                        Delete
                      </button>
                    </>
                  )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Recent runs</h2>
      {runs.kind === 'ready' && <RunTable runs={runs.value.runs} caption="The last 20 runs" />}
    </section>
  );
}
