import type { ProgressFigures } from '../../../../shared/domain/reportResults';

const number = new Intl.NumberFormat('en-US');

export function KpiCards({ figures }: { figures: ProgressFigures }) {
  const cards = [
    { label: 'Components', value: number.format(figures.totalComponents) },
    { label: 'Completed', value: number.format(figures.completedComponents) },
    { label: 'Completion', value: `${figures.completionPercent.toFixed(2)} %` },
    { label: 'ROC progress', value: `${figures.rocWeightedPercent.toFixed(2)} %` },
  ];
  return (
    <ul className="kpis" aria-label="Key figures">
      {cards.map((c) => (
        <li key={c.label} className="kpi">
          <span>{c.label}</span>
          <strong>{c.value}</strong>
        </li>
      ))}
    </ul>
  );
}
