/**
 * Electron entry: lifecycle, the one window, and its hardening. All data work happens in the
 * services utility process; this process only relays IPC to it.
 */
import { app, BrowserWindow, dialog, safeStorage, session, shell, utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import type { Channel } from '../shared/contract/channels';
import type { Result } from '../shared/errors';
import { registerIpc } from './ipc/ipcAdapter';
import { CONTENT_SECURITY_POLICY, isAppUrl, secureWebPreferences } from './windows/windowSecurity';
import { defaultDatabasePath } from './services/dataDirectory';

const RENDERER_FILE = path.join(__dirname, '../renderer/index.html');
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const isApp = (url: string) => isAppUrl(url, devServerUrl, RENDERER_FILE);

let mainWindow: BrowserWindow | null = null;
let services: UtilityProcess | null = null;
let nextId = 1;
const pending = new Map<number, (r: Result<unknown>) => void>();

function startServices(): void {
  services = utilityProcess.fork(path.join(__dirname, 'servicesProcess.js'), [], {
    serviceName: 'SiteReport services',
    env: { ...process.env, SITEREPORT_DB_PATH: defaultDatabasePath() },
  });
  services.on('message', (message: { id?: number; result?: Result<unknown>; ready?: boolean; smtpCiphertext?: string | null }) => {
    // The SMTP password lives in the OS keychain; the services process gets it in memory only.
    if (message.ready && message.smtpCiphertext && safeStorage.isEncryptionAvailable()) {
      try {
        services?.postMessage({ smtpSecret: { ciphertext: null, password: safeStorage.decryptString(Buffer.from(message.smtpCiphertext, 'base64')) } });
      } catch {
        // A keychain that cannot decrypt it (another user, a reset keychain): the user enters it again.
      }
    }
    if (message.id !== undefined && message.result) {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    }
  });
  services.on('exit', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'INTERNAL', message: 'the services process stopped' } });
    pending.clear();
  });
}

function send(message: Record<string, unknown>): Promise<Result<unknown>> {
  return new Promise((resolve) => {
    if (!services) return resolve({ ok: false, error: { code: 'INTERNAL', message: 'services not started' } });
    const id = nextId++;
    pending.set(id, resolve);
    services.postMessage({ ...message, id });
  });
}

async function forward(channel: Channel, input: unknown): Promise<Result<unknown>> {
  // Folders come from a dialog main shows; the path goes to the services host, not to the window.
  if (channel === 'exports/chooseFolder') {
    const picked = mainWindow ? await dialog.showOpenDialog(mainWindow, { title: 'Export folder', properties: ['openDirectory', 'createDirectory'] }) : null;
    const folder = picked && !picked.canceled ? picked.filePaths[0] : undefined;
    if (!folder) return { ok: false, error: { code: 'CONFLICT', message: 'no folder was chosen' } };
    return send({ addFolder: folder });
  }
  if (channel === 'settings/smtpSave') {
    const { password, ...rest } = (input ?? {}) as { password?: unknown; settings?: unknown };
    if (typeof password === 'string' && password !== '') {
      if (!safeStorage.isEncryptionAvailable()) return { ok: false, error: { code: 'CONFLICT', message: 'this system offers no keychain to keep the password; set SITEREPORT_SMTP_PASSWORD instead' } };
      const ciphertext = safeStorage.encryptString(password).toString('base64');
      const stored = await send({ smtpSecret: { ciphertext, password } });
      if (!stored.ok) return stored;
    }
    return send({ channel, input: rest });
  }
  const result = await send({ channel, input });
  if (channel === 'files/open' && result.ok) {
    const { path: file } = result.value as { path: string };
    const reveal = (input as { reveal?: boolean } | null)?.reveal === true;
    if (reveal) shell.showItemInFolder(file);
    else {
      const error = await shell.openPath(file);
      if (error) return { ok: false, error: { code: 'CONFLICT', message: `cannot open ${file}: ${error}` } };
    }
    return { ok: true, value: { path: file, opened: true } };
  }
  return result;
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: 'SiteReport',
    show: false,
    webPreferences: secureWebPreferences(path.join(__dirname, '../preload/index.cjs')),
  });
  const contents = mainWindow.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isApp(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  if (devServerUrl) void mainWindow.loadURL(devServerUrl);
  else void mainWindow.loadFile(RENDERER_FILE);
}

app.enableSandbox();
app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  startServices();
  registerIpc(forward, () => mainWindow?.webContents.id ?? -1, isApp);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  services?.kill();
  if (process.platform !== 'darwin') app.quit();
});
