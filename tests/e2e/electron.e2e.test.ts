/**
 * The desktop app itself through Playwright's Electron driver. The Electron binary cannot be
 * downloaded on this build machine, so here the spec reports that it was skipped; where the
 * binary exists it builds the app and checks the dashboard and the window's security.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { tempDir } from '../helpers/fixtureDb';

const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  try {
    const p = require('electron') as unknown;
    return typeof p === 'string' ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) console.warn('SKIPPED: Electron e2e — the Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); the renderer is covered by the Chromium web-mode e2e.');

describe.skipIf(!binary)('the desktop app (Electron)', () => {
  it('opens the dashboard in a hardened window', async () => {
    const root = path.resolve(__dirname, '../..');
    execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'ignore' });
    const app = await _electron.launch({ executablePath: binary as string, args: [path.join(root, 'out/main/index.js')], env: { ...process.env, SITEREPORT_DB: path.join(tempDir(), 'e.db') } });
    try {
      const window = await app.firstWindow();
      await expect.poll(() => window.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 }).toBe('Dashboard');
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      // Isolated and sandboxed: no Node in the page, only the preload's invoke bridge.
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await window.evaluate(() => Object.keys((globalThis as unknown as { api: object }).api))).toEqual(['invoke']);
    } finally {
      await app.close();
    }
  }, 300_000);
});
