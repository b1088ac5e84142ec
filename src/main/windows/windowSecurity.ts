/**
 * BrowserWindow hardening as plain data, so tests can assert it without Electron:
 * isolated, sandboxed, no Node in the page, a strict CSP, and nothing but the app's own page.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  spellcheck: false;
}

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** The app's own page: the packaged file, or the dev server the build tool started. */
export function isAppUrl(url: string, devServerUrl: string | undefined, rendererFile: string): boolean {
  try {
    const u = new URL(url);
    if (devServerUrl) {
      const dev = new URL(devServerUrl);
      if (u.origin === dev.origin) return true;
    }
    return u.protocol === 'file:' && decodeURIComponent(u.pathname).endsWith(rendererFile.replaceAll('\\', '/'));
  } catch {
    return false;
  }
}

export interface SenderInfo {
  isMainFrame: boolean;
  url: string;
  webContentsId: number;
}

/** IPC is accepted only from the main frame of the app's own window showing the app's page. */
export function isTrustedSender(sender: SenderInfo, appWebContentsId: number, isApp: (url: string) => boolean): boolean {
  return sender.isMainFrame && sender.webContentsId === appWebContentsId && isApp(sender.url);
}
