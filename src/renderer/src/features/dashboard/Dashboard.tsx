/** The project at a glance: KPIs, S-curve, ROC by area (click a bar to see its components),
    test-package readiness and components that have stalled. */
import { useMemo } from 'react';
import { useApp } from '../../app/store';
import { useQuery } from '../../app/useQuery';
import { EChart } from '../charts/EChart';
import { KpiCards } from './KpiCards';
import type { ChartSpec } from '../../../../shared/charts/chartSpec';

const fmt = (n: number) => n.toLocaleString('en-US');

export function Dashboard() {
  const projectCode = useApp((s) => s.projectCode) ?? undefined;
  const drill = useApp((s) => s.drill);
  const [q] = useQuery('dashboard/get', { projectCode }, [projectCode]);
  const charts = useMemo(() => {
    if (q.kind !== 'ready') return null;
    const d = q.value;
    const scurve: ChartSpec = { type: 'line', title: 'S-curve: ROC % by week', percent: true, labels: d.scurve.map((p) => p.label), series: [{ name: 'ROC %', values: d.scurve.map((p) => p.rocWeightedPercent) }] };
    const areas: ChartSpec = { type: 'bar', title: 'ROC % by area', percent: true, labels: d.areas.map((a) => a.area), series: [{ name: 'ROC %', values: d.areas.map((a) => a.rocWeightedPercent) }] };
    return { scurve, areas };
  }, [q]);
  if (q.kind === 'loading') return <p className="muted" aria-busy="true">Loading the project…</p>;
  if (q.kind === 'error') return <p role="alert" className="error">Could not load the dashboard: {q.message}</p>;
  const d = q.value;
  return (
    <section aria-labelledby="dash-title">
      <div className="page-head">
        <h1 id="dash-title">Dashboard</h1>
        <p className="muted">
          {d.project.name} · data as of {d.dataAsOf?.slice(0, 10) ?? 'unknown'}
          {d.forecast.completionDate && ` · forecast completion ${d.forecast.completionDate} (${d.forecast.confidence} confidence)`}
        </p>
      </div>
      <KpiCards figures={d.summary} />
      <div className="grid-2">
        <div className="panel">{charts && <EChart spec={charts.scurve} label={`S-curve of ROC progress over ${d.scurve.length} weeks`} />}</div>
        <div className="panel">
          {charts && (
            <EChart
              spec={charts.areas}
              label="ROC progress by area; choose an area below to list its components"
              onBarClick={(i) => {
                const area = d.areas[i]?.area;
                if (area) drill({ area });
              }}
            />
          )}
          <div className="chip-row" aria-label="Open the components of an area">
            {d.areas.map((a) => (
              <button key={a.area} className="chip" data-testid={`area-${a.area}`} onClick={() => drill({ area: a.area })}>
                {a.area} · {a.rocWeightedPercent.toFixed(1)} %
              </button>
            ))}
          </div>
        </div>
      </div>
      <div className="grid-2">
        <div className="panel">
          <h2>Test-package readiness</h2>
          <ul className="tiles">
            <li className="tile ok"><span>Ready</span><strong>{fmt(d.readiness.ready)}</strong></li>
            <li className="tile near"><span>Nearly (≥ 95 %)</span><strong>{fmt(d.readiness.nearly)}</strong></li>
            <li className="tile bad"><span>Blocked</span><strong>{fmt(d.readiness.blocked)}</strong></li>
            <li className="tile"><span>Not started</span><strong>{fmt(d.readiness.notStarted)}</strong></li>
          </ul>
        </div>
        <div className="panel">
          <h2>Stalled components</h2>
          <p className="muted">Not complete and no activity for …</p>
          <ul className="tiles">
            <li className="tile"><span>7 days</span><strong>{fmt(d.stalled.days7)}</strong></li>
            <li className="tile near"><span>14 days</span><strong>{fmt(d.stalled.days14)}</strong></li>
            <li className="tile bad"><span>21 days</span><strong>{fmt(d.stalled.days21)}</strong></li>
          </ul>
        </div>
      </div>
    </section>
  );
}
