/** The lookback window: all dates, a preset, the last N days/weeks/months, or a custom range. */
import { useBuilder } from './builderStore';

const PRESETS = [
  ['last7Days', 'Last 7 days'],
  ['last14Days', 'Last 14 days'],
  ['last30Days', 'Last 30 days'],
  ['thisWeek', 'This week'],
  ['thisMonth', 'This month'],
  ['lastQuarter', 'Last quarter'],
] as const;

export function LookbackPicker() {
  const { draft, edit } = useBuilder();
  const lb = draft.lookback;
  const set = (lookback: typeof draft.lookback) => edit((d) => ({ ...d, lookback }));
  return (
    <fieldset className="lookback">
      <legend>Lookback window</legend>
      <div className="chip-row">
        <button className={`chip ${lb === null ? 'on' : ''}`} aria-pressed={lb === null} onClick={() => set(null)}>All dates</button>
        {PRESETS.map(([id, label]) => (
          <button key={id} className={`chip ${lb?.kind === 'preset' && lb.preset === id ? 'on' : ''}`} aria-pressed={lb?.kind === 'preset' && lb.preset === id} onClick={() => set({ kind: 'preset', preset: id })}>
            {label}
          </button>
        ))}
        <button className={`chip ${lb?.kind === 'custom' ? 'on' : ''}`} aria-pressed={lb?.kind === 'custom'} onClick={() => set({ kind: 'custom', start: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10), end: new Date().toISOString().slice(0, 10) })}>
          Custom range
        </button>
      </div>
      {lb?.kind === 'custom' && (
        <div className="custom-range">
          <label>From <input type="date" value={lb.start} onChange={(e) => set({ ...lb, start: e.target.value })} /></label>
          <label>To <input type="date" value={lb.end} onChange={(e) => set({ ...lb, end: e.target.value })} /></label>
        </div>
      )}
    </fieldset>
  );
}
