/**
 * The Data screen's sync in Chromium against `sitereport web` and a throwaway PostgreSQL server:
 * address and password in, progress and status out, the synced projects appear without a reload,
 * a wrong password shows its reason, and the screen passes axe-core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchBrowser, seriousViolations, startWebApp, type WebApp } from '../helpers/browser';
import { READER, startPostgres, type PostgresServer } from '../helpers/postgresServer';
import { generatePipetrak } from '../helpers/pipetrakData';

const run = hasChromium() || process.env.CI === 'true';
const shots = path.resolve(__dirname, '../../test-results/screens');

describe.skipIf(!run)('sync on the Data screen', () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
    await generatePipetrak(server, { north: 400, south: 100 });
    app = await startWebApp(500);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    fs.mkdirSync(shots, { recursive: true });
    await page.goto(app.server.url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    server?.remove();
  });

  it('syncs from the server, shows the status and the new projects, and explains a wrong password', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Data', exact: true }).click();
    const panel = page.getByRole('heading', { name: 'Sync from the PipeTrak server' }).locator('..');
    const address = server.readerUrl.replace(`:${READER.password}@`, '@');
    await panel.getByLabel('Server address').fill(address);
    await panel.getByLabel('Password').fill(READER.password);
    await panel.getByRole('button', { name: 'Sync now' }).click();
    const status = page.getByTestId('sync-status');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/Last syncsucceeded/);
    expect(await status.textContent()).toMatch(/3,154 read, 3,154 new or changed, 0 deleted, 0 skipped/);
    await expect.poll(() => page.getByRole('table', { name: 'Projects' }).textContent(), { timeout: 5000 }).toContain('North Unit Revamp');
    await page.screenshot({ path: path.join(shots, 'data-sync.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    await panel.getByLabel('Password').fill('wrong');
    await panel.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => status.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/refused the user name or password/);
    // The data from the good sync stays.
    expect(await page.getByRole('table', { name: 'Projects' }).textContent()).toContain('South Tank Farm');
    expect(await page.locator('body').innerText()).not.toContain(READER.password);
  }, 90_000);
});
