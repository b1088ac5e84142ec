import { useApp } from '../../app/store';
import { useQuery } from '../../app/useQuery';
import { SmtpSettingsForm } from './SmtpSettingsForm';

export function Settings() {
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
  const [folders] = useQuery('exports/folders', {});
  return (
    <section aria-labelledby="settings-title">
      <div className="page-head">
        <h1 id="settings-title">Settings</h1>
      </div>
      <fieldset className="panel">
        <legend>Theme</legend>
        {(['light', 'dark'] as const).map((t) => (
          <label key={t} className="radio">
            <input type="radio" name="theme" value={t} checked={theme === t} onChange={() => setTheme(t)} /> {t === 'light' ? 'Light' : 'Dark'}
          </label>
        ))}
      </fieldset>
      <div className="panel">
        <h2>Export folders</h2>
        {folders.kind === 'ready' && (
          <ul>
            {folders.value.map((f) => (
              <li key={f.id}>
                <code>{f.path}</code> {f.id === 'default' && <span className="muted">(default)</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      <SmtpSettingsForm />
    </section>
  );
}
