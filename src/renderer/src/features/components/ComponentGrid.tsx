/** Every component of the project in a grid backed by keyset paging in main: blocks continue
    from the previous block's position while scrolling and seek by offset after a jump. */
import { useMemo, useRef, useState } from 'react';
import type { GridApi } from 'ag-grid-community';
import { useExportJobs } from '../../app/useExportJobs';
import { AgGridReact } from 'ag-grid-react';
import { AllCommunityModule, ModuleRegistry, themeQuartz, colorSchemeDark, type ColDef, type IDatasource, type SortModelItem } from 'ag-grid-community';
import { call } from '../../api/client';
import { useApp } from '../../app/store';
import type { ComponentRowJson } from '../../../../shared/contract';

ModuleRegistry.registerModules([AllCommunityModule]);

const SORTABLE: Record<string, string> = { tag: 'tag', type: 'type', area: 'area', system: 'system', testPackage: 'testPackage', status: 'status', completionPercent: 'completionPercent', rocWeightedPercent: 'rocWeightedPercent' };
const BLOCK = 200;
/** Grid column -> the export's columns (the grid shows milestones as "done / total"). */
const EXPORT_KEYS: Record<string, string[]> = {
  tag: ['tag'], type: ['type'], area: ['area'], system: ['system'], testPackage: ['testPackage'], status: ['status'], completionPercent: ['completionPercent'],
  rocWeightedPercent: ['rocWeightedPercent'], milestonesCompleted: ['milestonesCompleted', 'milestonesTotal'], drawingNumber: ['drawingNumber'], lastActivity: ['lastActivity'],
};

const COLUMNS: Array<ColDef<ComponentRowJson>> = [
  { field: 'tag', headerName: 'Tag', pinned: 'left', width: 170 },
  { field: 'type', headerName: 'Type', width: 110 },
  { field: 'area', headerName: 'Area', width: 150 },
  { field: 'system', headerName: 'System', width: 170 },
  { field: 'testPackage', headerName: 'Test package', width: 130 },
  { field: 'status', headerName: 'Status', width: 130 },
  { field: 'completionPercent', headerName: 'Completion %', width: 130, type: 'rightAligned', valueFormatter: (p) => (typeof p.value === 'number' ? p.value.toFixed(2) : '') },
  { field: 'rocWeightedPercent', headerName: 'ROC %', width: 110, type: 'rightAligned', valueFormatter: (p) => (typeof p.value === 'number' ? p.value.toFixed(2) : '') },
  { field: 'milestonesCompleted', headerName: 'Milestones', width: 120, sortable: false, valueGetter: (p) => (p.data ? `${p.data.milestonesCompleted} / ${p.data.milestonesTotal}` : '') },
  { field: 'drawingNumber', headerName: 'Drawing', width: 150, sortable: false },
  { field: 'lastActivity', headerName: 'Last activity', width: 170, sortable: false, valueFormatter: (p) => (typeof p.value === 'string' ? p.value.slice(0, 16).replace('T', ' ') : '') },
];

export function ComponentGrid() {
  const projectCode = useApp((s) => s.projectCode) ?? undefined;
  const filter = useApp((s) => s.gridFilter);
  const drill = useApp((s) => s.drill);
  const theme = useApp((s) => s.theme);
  const tick = useApp((s) => s.refreshTick);
  const [search, setSearch] = useState('');
  const [total, setTotal] = useState<number | null>(null);
  const nextByStart = useRef(new Map<number, string>());
  const [api, setApi] = useState<GridApi<ComponentRowJson> | null>(null);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [chooser, setChooser] = useState(false);
  const exports = useExportJobs();
  const job = exports.jobs[0];
  const [sortModel, setSortModel] = useState<{ colId: string; sort: 'asc' | 'desc' } | null>(null);

  const toggleColumn = (field: string) => {
    const next = new Set(hidden);
    if (next.has(field)) next.delete(field);
    else next.add(field);
    setHidden(next);
    api?.setColumnsVisible([field], !next.has(field));
  };

  // Export the current view: its visible columns, area filter, quick filter and sort.
  const exportView = (format: 'csv' | 'xlsx') => {
    const params: Record<string, unknown> = { columns: COLUMNS.filter((c) => !hidden.has(String(c.field))).flatMap((c) => EXPORT_KEYS[String(c.field)] ?? []) };
    if (filter.area || filter.status) params.filters = { area: filter.area ? [filter.area] : undefined, status: filter.status };
    if (search) params.search = search;
    if (sortModel && SORTABLE[sortModel.colId]) {
      params.sort = SORTABLE[sortModel.colId];
      params.descending = sortModel.sort === 'desc';
    }
    void exports.start([{ source: { kind: 'builtin', reportId: 'component-details', projectCode, params }, format, fileName: `Components${filter.area ? ` ${filter.area}` : ''}` }]);
  };

  const datasource = useMemo<IDatasource>(() => {
    nextByStart.current = new Map();
    return {
      getRows(params) {
        const sort = (params.sortModel as SortModelItem[])[0];
        const after = nextByStart.current.get(params.startRow);
        call('components/grid', {
          projectCode,
          filters: filter.area || filter.status ? { area: filter.area ? [filter.area] : undefined, status: filter.status } : undefined,
          search: search || undefined,
          sort: sort && SORTABLE[sort.colId] ? (SORTABLE[sort.colId] as 'tag') : undefined,
          descending: sort?.sort === 'desc',
          offset: params.startRow,
          limit: params.endRow - params.startRow,
          after,
          withTotal: params.startRow === 0,
        })
          .then((page) => {
            if (page.total !== null) setTotal(page.total);
            if (page.next) nextByStart.current.set(params.endRow, page.next);
            const last = page.rows.length < params.endRow - params.startRow ? params.startRow + page.rows.length : (page.total ?? undefined);
            params.successCallback(page.rows, last);
          })
          .catch(() => params.failCallback());
      },
    };
  }, [projectCode, filter, search, tick]);

  const gridTheme = useMemo(() => (theme === 'dark' ? themeQuartz.withPart(colorSchemeDark) : themeQuartz), [theme]);

  return (
    <section aria-labelledby="grid-title" className="grid-page">
      <div className="page-head">
        <h1 id="grid-title">Components</h1>
        <p className="muted" data-testid="grid-count">
          {total === null ? 'Counting…' : `${total.toLocaleString('en-US')} components`}
          {filter.area && ` in ${filter.area}`}
        </p>
      </div>
      <div className="toolbar">
        <label>
          Quick filter <input type="search" value={search} placeholder="Tag or display id" onChange={(e) => setSearch(e.target.value)} />
        </label>
        {filter.area && (
          <button className="chip" onClick={() => drill({})} aria-label={`Remove the filter area ${filter.area}`}>
            Area: {filter.area} ✕
          </button>
        )}
        <span className="toolbar-end">
          <button className="chip" aria-expanded={chooser} onClick={() => setChooser(!chooser)}>Columns</button>
          <button className="chip" onClick={() => exportView('xlsx')}>Export view (XLSX)</button>
          <button className="chip" onClick={() => exportView('csv')}>CSV</button>
          {exports.error && <span role="alert" className="error small">{exports.error}</span>}
          {job && (
            <span role="status" className="small" data-testid="grid-export">
              {job.status === 'running' ? <progress max={job.totalRows ?? undefined} value={job.rowsWritten} aria-label="Exporting the view" /> : job.status === 'succeeded' ? `saved ${job.file?.split(/[\\/]/).pop()} (${job.rowsWritten.toLocaleString('en-US')} rows)` : `${job.status}${job.error ? `: ${job.error}` : ''}`}
            </span>
          )}
        </span>
      </div>
      {chooser && (
        <fieldset className="panel column-chooser">
          <legend>Columns shown</legend>
          {COLUMNS.map((c) => (
            <label key={String(c.field)} className="radio">
              <input type="checkbox" checked={!hidden.has(String(c.field))} disabled={c.field === 'tag'} onChange={() => toggleColumn(String(c.field))} /> {c.headerName}
            </label>
          ))}
        </fieldset>
      )}
      <div className="grid-host">
        <AgGridReact<ComponentRowJson>
          theme={gridTheme}
          columnDefs={COLUMNS}
          defaultColDef={{ resizable: true, sortable: true }}
          rowModelType="infinite"
          datasource={datasource}
          cacheBlockSize={BLOCK}
          maxBlocksInCache={50}
          blockLoadDebounceMillis={10}
          getRowId={(p) => String(p.data.id)}
          onGridReady={(e) => setApi(e.api)}
          onSortChanged={(e) => {
            const s = e.api.getColumnState().find((c) => c.sort);
            setSortModel(s?.sort ? { colId: s.colId, sort: s.sort } : null);
          }}
          maxConcurrentDatasourceRequests={3}
        />
      </div>
    </section>
  );
}
