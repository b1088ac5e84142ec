/**
 * E-mail delivery settings. The password goes to the OS keychain in the desktop app; web mode
 * has none, so it says where the password comes from instead of asking for it.
 */
import { useEffect, useState } from 'react';
import { call } from '../../api/client';
import { useQuery } from '../../app/useQuery';
import type { SmtpSettingsJson } from '../../../../shared/contract';

const EMPTY: SmtpSettingsJson = { host: '', port: 587, security: 'starttls', user: '', from: '', maxAttachmentMb: 10 };

export function SmtpSettingsForm() {
  const [status, reload] = useQuery('settings/smtpGet', {});
  const [form, setForm] = useState<SmtpSettingsJson>(EMPTY);
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    if (status.kind === 'ready' && status.value.settings) setForm(status.value.settings);
  }, [status]);
  if (status.kind !== 'ready') return <p className="muted">{status.kind === 'error' ? status.message : 'Loading…'}</p>;
  const keychain = status.value.passwordStore === 'os-keychain';
  const set = <K extends keyof SmtpSettingsJson>(key: K, value: SmtpSettingsJson[K]) => setForm((f) => ({ ...f, [key]: value }));
  const save = (e: React.FormEvent) => {
    e.preventDefault();
    call('settings/smtpSave', { settings: form, ...(keychain && password ? { password } : {}) })
      .then(() => {
        setPassword('');
        setMessage({ kind: 'ok', text: 'Saved. Waiting e-mail goes out on the next run.' });
        reload();
      })
      .catch((err: unknown) => setMessage({ kind: 'error', text: err instanceof Error ? err.message : String(err) }));
  };
  return (
    <form className="panel form-grid" onSubmit={save} aria-labelledby="smtp-title">
      <h2 id="smtp-title">E-mail (SMTP)</h2>
      <label>Server <input value={form.host} onChange={(e) => set('host', e.target.value)} placeholder="smtp.example.com" required /></label>
      <label>Port <input type="number" min={1} max={65535} value={form.port} onChange={(e) => set('port', Number(e.target.value))} required /></label>
      <label>
        Security
        <select value={form.security} onChange={(e) => set('security', e.target.value as SmtpSettingsJson['security'])}>
          <option value="starttls">STARTTLS (port 587)</option>
          <option value="tls">TLS (port 465)</option>
          <option value="none">None (local relay only)</option>
        </select>
      </label>
      <label>User name <input value={form.user} onChange={(e) => set('user', e.target.value)} autoComplete="username" /></label>
      <label>Sender address <input type="email" value={form.from} onChange={(e) => set('from', e.target.value)} placeholder="site-office@example.com" required /></label>
      <label>Attach files up to (MB) <input type="number" min={0} max={100} step={0.5} value={form.maxAttachmentMb} onChange={(e) => set('maxAttachmentMb', Number(e.target.value))} /></label>
      {keychain ? (
        <label>
          Password <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" placeholder={status.value.passwordAvailable ? 'kept in the system keychain' : ''} />
        </label>
      ) : (
        <p className="muted small">
          Web mode has no system keychain, so no password is stored here: start <code>sitereport web</code> and <code>sitereport schedule run-due</code> with <code>SITEREPORT_SMTP_PASSWORD</code> set.{' '}
          {status.value.passwordAvailable ? 'A password is set in this session.' : 'None is set in this session.'}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary">Save e-mail settings</button>
      </div>
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error' : 'muted'}>{message.text}</p>}
    </form>
  );
}
