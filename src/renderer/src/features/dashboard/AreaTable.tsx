import type { ProgressFigures } from '../../../../shared/domain/reportResults';

export function AreaTable({ rows }: { rows: Array<{ area: string } & ProgressFigures> }) {
  return (
    <table className="grid" aria-label="Progress by area">
      <thead>
        <tr>
          <th scope="col">Area</th>
          <th scope="col" className="num">Components</th>
          <th scope="col" className="num">Completed</th>
          <th scope="col" className="num">Completion %</th>
          <th scope="col">ROC progress</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.area}>
            <th scope="row">{r.area}</th>
            <td className="num">{r.totalComponents.toLocaleString('en-US')}</td>
            <td className="num">{r.completedComponents.toLocaleString('en-US')}</td>
            <td className="num">{r.completionPercent.toFixed(2)}</td>
            <td>
              <div className="bar" role="img" aria-label={`${r.rocWeightedPercent.toFixed(2)} percent`}>
                <div className="bar-fill" style={{ width: `${Math.min(100, r.rocWeightedPercent)}%` }} />
                <span className="bar-text">{r.rocWeightedPercent.toFixed(2)} %</span>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
