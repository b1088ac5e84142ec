/**
 * Import a component list: choose a CSV or XLSX file, see how its columns map to component
 * fields (and change it), the first rows as they would be imported and every problem, then
 * import it all or nothing. The page reads the file and sends its bytes; it never sends a path.
 */
import { useState } from 'react';
import { call } from '../../api/client';
import { useApp } from '../../app/store';
import type { ImportPreviewJson } from '../../../../shared/contract';
import { problemsCsv } from '../../../../shared/domain/importProblems';

const FIELDS: Array<[string, string]> = [
  ['tag', 'Tag *'], ['type', 'Type *'], ['displayId', 'Display id'], ['area', 'Area'], ['system', 'System'], ['testPackage', 'Test package'],
  ['status', 'Status'], ['completionPercent', 'Completion %'], ['drawingNumber', 'Drawing'], ['spec', 'Spec'], ['size', 'Size'], ['material', 'Material'],
];

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}


export function ImportPanel() {
  const projectCode = useApp((s) => s.projectCode) ?? undefined;
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const [milestoneFile, setMilestoneFile] = useState<{ name: string; content: string } | null>(null);
  const [preview, setPreview] = useState<ImportPreviewJson | null>(null);
  const [mapping, setMapping] = useState<Record<string, string> | undefined>(undefined);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const milestonesInput = (ms: { name: string; content: string } | null) => (ms ? { fileName: ms.name, contentBase64: ms.content } : undefined);
  const load = (f: { name: string; content: string }, m?: Record<string, string>, ms = milestoneFile) => {
    setBusy(true);
    call('import/preview', { fileName: f.name, contentBase64: f.content, projectCode, mapping: m, milestones: milestonesInput(ms) })
      .then((p) => {
        setPreview(p);
        setMapping(p.mapping);
        setMessage(null);
      })
      .catch((e: unknown) => {
        setPreview(null);
        setMessage({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
      })
      .finally(() => setBusy(false));
  };
  const choose = (input: HTMLInputElement) => {
    const f = input.files?.[0];
    if (!f) return;
    void f.arrayBuffer().then((buf) => {
      const next = { name: f.name, content: toBase64(buf) };
      setFile(next);
      load(next);
    });
  };
  const chooseMilestones = (input: HTMLInputElement) => {
    const f = input.files?.[0];
    if (!f) {
      setMilestoneFile(null);
      if (file) load(file, mapping, null);
      return;
    }
    void f.arrayBuffer().then((buf) => {
      const next = { name: f.name, content: toBase64(buf) };
      setMilestoneFile(next);
      if (file) load(file, mapping, next);
    });
  };
  const remap = (field: string, column: string) => {
    if (!file) return;
    const next = { ...(mapping ?? {}) };
    if (column) next[field] = column;
    else delete next[field];
    load(file, next);
  };
  const apply = () => {
    if (!file) return;
    setBusy(true);
    call('import/apply', { fileName: file.name, contentBase64: file.content, projectCode, mapping, milestones: milestonesInput(milestoneFile) })
      .then((r) => {
        const n = (x: number) => x.toLocaleString('en-US');
        const ms = r.milestones ? ` Milestones: ${n(r.milestones.added)} added, ${n(r.milestones.changed)} changed, ${n(r.milestones.unchanged)} unchanged, ${n(r.milestones.removed)} removed.` : '';
        setMessage({ kind: 'ok', text: `Imported ${n(r.rows)} rows: ${n(r.added)} added, ${n(r.changed)} changed, ${n(r.unchanged)} unchanged, ${n(r.removed)} removed.${ms}` });
      })
      .catch((e: unknown) => setMessage({ kind: 'error', text: e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e) }))
      .finally(() => setBusy(false));
  };
  const saveProblems = () => {
    if (!preview) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([problemsCsv(preview.problems)], { type: 'text/csv' }));
    a.download = 'import problems.csv';
    a.click();
  };
  const mappedFields = FIELDS.filter(([f]) => mapping?.[f]);

  return (
    <div className="panel" aria-labelledby="import-title">
      <h2 id="import-title">Import a component list</h2>
      <p className="muted small">CSV (any delimiter, UTF-8) or XLSX (first sheet). The file becomes the project’s list: new tags are added, changed ones updated, missing ones removed — all or nothing.</p>
      <label>
        File <input type="file" accept=".csv,.txt,.xlsx" onChange={(e) => choose(e.currentTarget)} disabled={busy} />
      </label>{' '}
      <label>
        Milestones (optional) <input type="file" accept=".csv,.txt,.xlsx" onChange={(e) => chooseMilestones(e.currentTarget)} disabled={busy} />
      </label>
      <p className="muted small">Milestones: one row per component tag and milestone (Tag, Milestone, Completed, Completed date, Completed by, %). The milestones of every tag named there become exactly the file’s.</p>
      {preview && (
        <>
          <fieldset className="form-grid" aria-label="Column mapping">
            <legend>Columns</legend>
            {FIELDS.map(([field, label]) => (
              <label key={field}>
                {label}
                <select value={mapping?.[field] ?? ''} onChange={(e) => remap(field, e.target.value)} disabled={busy}>
                  <option value="">— not imported —</option>
                  {preview.header.map((h) => <option key={h} value={h}>{h}</option>)}
                </select>
              </label>
            ))}
          </fieldset>
          {preview.missing.length > 0 && <p role="alert" className="error">Choose a column for {preview.missing.join(' and ')}.</p>}
          <table className="table" data-testid="import-preview">
            <caption>First {preview.rows.length} of {preview.totalRows.toLocaleString('en-US')} rows as they will be imported</caption>
            <thead><tr>{mappedFields.map(([f, label]) => <th key={f} scope="col">{label.replace(' *', '')}</th>)}</tr></thead>
            <tbody>
              {preview.rows.map((r, i) => <tr key={i}>{mappedFields.map(([f]) => <td key={f}>{r[f]}</td>)}</tr>)}
            </tbody>
          </table>
          {preview.problemCount > 0 && (
            <div role="alert" data-testid="import-problems">
              <p className="error">{preview.problemCount} row problem{preview.problemCount === 1 ? '' : 's'}: nothing can be imported until the file is fixed. <button className="link" onClick={saveProblems}>Save the problems as CSV</button></p>
              <ul className="small">
                {preview.problems.map((p, i) => <li key={i}>Line {p.line}, {p.column} “{p.value}”: {p.reason}</li>)}
              </ul>
              {preview.problemCount > preview.problems.length && <p className="muted small">… and {preview.problemCount - preview.problems.length} more in the CSV.</p>}
            </div>
          )}
          <div className="actions">
            <button className="primary" onClick={apply} disabled={busy || preview.problemCount > 0 || preview.missing.length > 0}>Import {preview.totalRows.toLocaleString('en-US')} rows</button>
          </div>
        </>
      )}
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error' : 'muted'}>{message.text}</p>}
    </div>
  );
}
