import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAppUrl, isTrustedSender, secureWebPreferences } from '../../src/main/windows/windowSecurity';

describe('window hardening', () => {
  it('isolates and sandboxes the renderer with no Node access', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('has a CSP without inline or remote scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|https?:/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('recognises only the app page as the app', () => {
    const file = '/opt/sitereport/out/renderer/index.html';
    expect(isAppUrl('file:///opt/sitereport/out/renderer/index.html', undefined, file)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', undefined, file)).toBe(false);
    expect(isAppUrl('https://example.com/', undefined, file)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173', file)).toBe(true);
    expect(isAppUrl('not a url', undefined, file)).toBe(false);
  });

  it('accepts IPC only from the main frame of the app window', () => {
    const isApp = (u: string) => u === 'file:///app/index.html';
    const good = { isMainFrame: true, url: 'file:///app/index.html', webContentsId: 3 };
    expect(isTrustedSender(good, 3, isApp)).toBe(true);
    expect(isTrustedSender({ ...good, isMainFrame: false }, 3, isApp)).toBe(false);
    expect(isTrustedSender({ ...good, webContentsId: 4 }, 3, isApp)).toBe(false);
    expect(isTrustedSender({ ...good, url: 'https://evil.example/' }, 3, isApp)).toBe(false);
  });
});
