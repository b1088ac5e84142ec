import type { ProgressFigures } from '../../../../shared/domain/reportResults';

const number = new Intl.NumberFormat('en-US');

export function KpiCards({ figures }: { figures: ProgressFigures }) {
  const cards = [
    { label: 'Components', value: number.format(figures.totalComponents) },
    { label: 'Completed', value: number.format(figures.completedComponents) },
    { label: 'Completion', value: `${figures.completionPercent.toFixed(2)} %` },
    { label: 'ROC progress', value: `${figures.rocWeightedPercent.toFixed(2)} %`, accent: true },
  ];
  return (
    <section className="kpis" aria-label="Key figures">
      {cards.map((c) => (
        <div key={c.label} className={c.accent ? 'kpi accent' : 'kpi'}>
          <div className="kpi-label">{c.label}</div>
          <div className="kpi-value">{c.value}</div>
        </div>
      ))}
    </section>
  );
}
