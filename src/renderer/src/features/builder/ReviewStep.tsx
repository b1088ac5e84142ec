/** Step 3: a live preview of the draft — row count, KPI figures, the chart, the table and the
    definition in words; problems are shown in plain words from the shared schema. */
import { useEffect, useMemo, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import { colorSchemeDark, themeQuartz, type ColDef } from 'ag-grid-community';
import { call } from '../../api/client';
import { useApp } from '../../app/store';
import { EChart } from '../charts/EChart';
import { definitionCharts } from '../../../../shared/charts/definitionCharts';
import { toPlainTable } from '../../../../shared/domain/pivotTable';
import { describeDefinition } from '../../../../shared/domain/describeDefinition';
import { checkDefinition } from '../../../../shared/domain/reportDefinition';
import type { DefinitionResultJson } from '../../../../shared/contract';
import { useBuilder } from './builderStore';

export function usePreview(): { result: DefinitionResultJson | null; error: string | null; ms: number | null } {
  const draft = useBuilder((s) => s.draft);
  const projectCode = useApp((s) => s.projectCode) ?? undefined;
  const [state, setState] = useState<{ result: DefinitionResultJson | null; error: string | null; ms: number | null }>({ result: null, error: null, ms: null });
  useEffect(() => {
    const check = checkDefinition(draft);
    if (!check.ok) {
      setState({ result: null, error: check.issues.map((i) => `${i.path}: ${i.message}`).join('\n'), ms: null });
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      const started = performance.now();
      call('reports/runDefinition', { definition: draft, projectCode })
        .then((result) => live && setState({ result, error: null, ms: performance.now() - started }))
        .catch((e: unknown) => live && setState({ result: null, error: e instanceof Error ? e.message : String(e), ms: null }));
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [draft, projectCode]);
  return state;
}

export function ReviewStep() {
  const draft = useBuilder((s) => s.draft);
  const theme = useApp((s) => s.theme);
  const { result, error, ms } = usePreview();
  const table = useMemo(() => (result ? toPlainTable(result) : null), [result]);
  const chart = useMemo(() => (result ? definitionCharts(result)[0] : undefined), [result]);
  const columns = useMemo<ColDef[]>(() => (table ? table.header.map((h, i) => ({ headerName: h, field: `c${i}`, sortable: true, resizable: true, type: i >= (result?.columns.filter((c) => c.role === 'row').length ?? 0) ? 'rightAligned' : undefined })) : []), [table, result]);
  const rows = useMemo(() => (table ? table.rows.map((r) => Object.fromEntries(r.map((v, i) => [`c${i}`, v]))) : []), [table]);
  const values = result?.columns.filter((c) => c.role === 'value') ?? [];
  return (
    <div className="review">
      {error && (
        <div role="alert" className="panel error">
          <strong>This report cannot run yet:</strong>
          <ul>{error.split('\n').map((line) => <li key={line}>{line}</li>)}</ul>
        </div>
      )}
      {result && (
        <>
          <ul className="kpis" aria-label="Preview figures">
            <li className="kpi"><span>Rows</span><strong data-testid="preview-rows">{(table?.rows.length ?? 0).toLocaleString('en-US')}</strong></li>
            <li className="kpi"><span>Values</span><strong>{values.length}</strong></li>
            <li className="kpi"><span>Window</span><strong className="small-strong">{result.window ? `${result.window.start} – ${result.window.end}` : 'All dates'}</strong></li>
            <li className="kpi"><span>Preview</span><strong className="small-strong">{ms === null ? '—' : `${Math.round(ms)} ms${result.cacheHit ? ' (cached)' : ''}`}</strong></li>
          </ul>
          {chart && <div className="panel"><EChart spec={chart} label={chart.title} height={260} /></div>}
          <div className="grid-host small-grid">
            <AgGridReact theme={theme === 'dark' ? themeQuartz.withPart(colorSchemeDark) : themeQuartz} columnDefs={columns} rowData={rows} />
          </div>
        </>
      )}
      <div className="panel">
        <h3>The report in words</h3>
        <ul>{describeDefinition(draft, result?.window ?? null).map((l) => <li key={l}>{l}</li>)}</ul>
      </div>
    </div>
  );
}
