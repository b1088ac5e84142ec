/**
 * The app in Debian's Chromium against `sitereport web` on a fresh demo database: every screen
 * renders (light and dark, screenshots kept under test-results/screens), passes axe-core with no
 * serious or critical violation, the dashboard drills into the component grid, the library
 * deletes with undo and exports a file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchBrowser, seriousViolations, startWebApp, type WebApp } from '../helpers/browser';
import { sheetsAsCsv } from '../helpers/libreOffice';

const run = hasChromium() || process.env.CI === 'true';
if (!run) console.warn('Chromium not found at /usr/bin/chromium: browser tests skipped');
const shots = path.resolve(__dirname, '../../test-results/screens');

describe.skipIf(!run)('the app in Chromium', () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await startWebApp(2000);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    fs.mkdirSync(shots, { recursive: true });
    await page.goto(app.server.url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const nav = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label, exact: true });

  it('shows the dashboard with the project figures', async () => {
    const kpis = page.getByRole('list', { name: 'Key figures' });
    await expect.poll(() => kpis.textContent(), { timeout: 20_000 }).toContain('2,000');
    const summary = app.services.queryReport({ reportId: 'progress-summary' }) as { summary: { rocWeightedPercent: number } };
    expect(await kpis.textContent()).toContain(`${summary.summary.rocWeightedPercent.toFixed(2)} %`);
    await expect.poll(() => page.locator('canvas').count()).toBeGreaterThanOrEqual(2);
  });

  it('refreshes the open dashboard when the data changes, without a reload', async () => {
    await nav('Dashboard').click();
    const kpis = page.getByRole('list', { name: 'Key figures' });
    await expect.poll(() => kpis.textContent()).toContain('2,000');
    const project = (app.services.db.prepare('SELECT id FROM projects LIMIT 1').get() as { id: number }).id;
    const started = Date.now();
    app.services.db
      .prepare("INSERT INTO components (project_id, tag, type, area, status, completion_percent, workflow_type, test_required, created_at, updated_at) VALUES (?, 'LIVE-1', 'Spool', 'A10 Furnaces', 'NOT_STARTED', 0, 'MILESTONE_DISCRETE', 0, '2026-11-22T00:00:00Z', '2026-11-22T00:00:00Z')")
      .run(project);
    await expect.poll(() => kpis.textContent(), { timeout: 5000, interval: 25 }).toContain('2,001');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('drills from an area on the dashboard into its components', async () => {
    await nav('Dashboard').click();
    const chip = page.locator('[data-testid^="area-"]').first();
    const area = (await chip.getAttribute('data-testid'))?.slice('area-'.length) as string;
    await chip.click();
    const expected = (app.services.db.prepare('SELECT count(*) AS n FROM components WHERE area = ?').get(area) as { n: number }).n;
    await expect.poll(() => page.getByTestId('grid-count').textContent(), { timeout: 20_000 }).toBe(`${expected.toLocaleString('en-US')} components in ${area}`);
    await expect.poll(() => page.locator('.ag-row').count()).toBeGreaterThan(5);
    const firstArea = await page.locator('.ag-row .ag-cell[col-id="area"]').first().textContent();
    expect(firstArea).toBe(area);
    // Hide a column, then export the view: the file holds exactly this area's components.
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'System' }).uncheck();
    await expect.poll(() => page.locator('.ag-header-cell[col-id="system"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Export view (XLSX)' }).click();
    await expect.poll(() => page.getByTestId('grid-export').textContent(), { timeout: 30_000 }).toMatch(/saved .+\.xlsx \(([\d,]+) rows\)/);
    expect(await page.getByTestId('grid-export').textContent()).toContain(`(${expected.toLocaleString('en-US')} rows)`);
    // The file has the view's columns: System hidden, milestones as done and total.
    const file = fs.readdirSync(app.exportDir).find((f) => f.startsWith(`Components ${area}`) && f.endsWith('.xlsx')) as string;
    const sheets = sheetsAsCsv(path.join(app.exportDir, file));
    const data = [...sheets.entries()].find(([name]) => name !== 'Summary')?.[1] ?? '';
    expect(data.split('\n')[0]?.trim()).toBe('Tag,Type,Area,Test package,Status,Completion %,ROC %,Milestones completed,Milestones total,Drawing number,Last activity');
  });

  it('deletes a saved report and brings it back with undo', async () => {
    await nav('Reports').click();
    const table = page.getByTestId('library');
    await table.getByRole('row', { name: /Progress summary/ }).getByRole('button', { name: 'Duplicate' }).click();
    const copy = table.getByRole('row', { name: /copy/i }).first();
    await expect.poll(() => copy.count()).toBe(1);
    const name = (await copy.locator('th').textContent()) ?? '';
    await copy.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => table.getByRole('row', { name: /copy/i }).count()).toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => table.getByRole('row', { name: /copy/i }).count()).toBe(1);
    expect(await table.getByRole('row', { name: /copy/i }).first().locator('th').textContent()).toBe(name);
  });

  it('exports a report as XLSX from the library into the export folder', async () => {
    const row = page.getByTestId('library').getByRole('row', { name: /Test package readiness/ }).first();
    await row.getByRole('button', { name: 'Export XLSX' }).click();
    await expect.poll(() => row.getByTestId('export-done').textContent(), { timeout: 30_000 }).toMatch(/saved .+\.xlsx/);
    const files = fs.readdirSync(app.exportDir).filter((f) => f.startsWith('Test package readiness') && f.endsWith('.xlsx'));
    expect(files).toHaveLength(1);
    expect(fs.readFileSync(path.join(app.exportDir, files[0] as string)).subarray(0, 2).toString()).toBe('PK');
  });

  it('schedules: runs what is due on request, shows backfill progress and the outbox, and keeps SMTP settings', async () => {
    const { ScheduleStore } = await import('../../src/main/services/scheduleStore');
    const { BackfillJobs } = await import('../../src/main/scheduler/backfillJobs');
    const { Outbox } = await import('../../src/main/delivery/outbox');
    const { INPUT_SCHEMAS } = await import('../../src/shared/contract');
    const db = app.services.db;
    const input = INPUT_SCHEMAS['schedules/save'].parse({ name: 'Morning progress', target: { kind: 'builtin', reportId: 'progress-summary' }, spec: { frequency: 'daily', time: '06:00', timezone: 'Europe/Berlin' }, formats: ['csv'], recipients: ['pm@example.com'] });
    new ScheduleStore(db, () => new Date(Date.now() - 3 * 86_400_000)).save(input, app.exportDir);
    const backfill = new BackfillJobs(app.services).start({ from: '2026-08-01', to: '2026-11-22', segment: 'weekly' });
    await new BackfillJobs(app.services).settled(backfill.id);
    const outbox = new Outbox(db, { wallMs: () => Date.now(), monotonicMs: () => 0 });
    outbox.enqueue([{ scheduleId: null, slot: null, runId: null, recipient: 'nobody@example.com', subject: 'Weekly progress', body: 'Hello', attachments: [] }]);
    db.prepare("UPDATE outbox SET state = 'failed', attempts = 1, last_error = 'the mail server refused the message (550): no such mailbox' WHERE recipient = 'nobody@example.com'").run();

    await nav('Schedules').click();
    await page.getByRole('button', { name: 'Run what is due now' }).click();
    const runs = page.getByRole('table', { name: /Latest scheduled/ });
    await expect.poll(() => runs.getByRole('row', { name: /Morning progress/ }).count(), { timeout: 20_000 }).toBe(1);
    expect(await runs.getByRole('row', { name: /Morning progress/ }).textContent()).toMatch(/catch-up.*succeeded.*Morning progress - DEMO-ETH - .*\.csv.*mailed to pm@example\.com/);
    await expect.poll(() => page.getByTestId('backfills').textContent()).toMatch(/2026-08-01 → 2026-11-22.*17 weekly.*17 \/ 17.*completed/);
    const refused = page.getByTestId('outbox').getByRole('row', { name: /nobody@example\.com/ });
    await expect.poll(() => refused.textContent()).toContain('refused the message (550)');
    await refused.getByRole('button', { name: 'Send again' }).click();
    await expect.poll(() => refused.textContent()).toContain('waiting');
    await page.screenshot({ path: path.join(shots, 'schedules-with-jobs.png'), fullPage: true });

    await nav('Settings').click();
    const form = page.getByRole('form', { name: 'E-mail (SMTP)' });
    await form.getByLabel('Server').fill('smtp.example.com');
    await form.getByLabel('Sender address').fill('site-office@example.com');
    await expect.poll(() => form.textContent()).toContain('SITEREPORT_SMTP_PASSWORD');
    await form.getByRole('button', { name: 'Save e-mail settings' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('Saved.');
    expect(db.prepare("SELECT value FROM meta WHERE key = 'smtp_settings'").get()).toEqual({ value: JSON.stringify({ host: 'smtp.example.com', port: 587, security: 'starttls', user: '', from: 'site-office@example.com', maxAttachmentMb: 10 }) });
  });

  it('every screen, light and dark, has no serious or critical accessibility violation', async () => {
    const screens = ['Dashboard', 'Components', 'Reports', 'Builder', 'Schedules', 'Runs', 'Data', 'Settings'];
    const found: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      await nav('Settings').click();
      await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
      for (const screen of screens) {
        await nav(screen).click();
        await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(screen === 'Reports' ? 'Reports' : screen);
        // The app polls for data changes, so the network is never idle: wait for loading text to go.
        await expect.poll(() => page.getByText(/^Loading/).count(), { timeout: 10_000 }).toBe(0);
        await page.waitForTimeout(400);
        await page.screenshot({ path: path.join(shots, `${screen.toLowerCase()}-${theme}.png`) });
        for (const v of await seriousViolations(page)) found.push(`${theme} ${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      }
    }
    expect(found).toEqual([]);
  });
  it('imports a component list on the Data screen: mapping, preview, problems, then all of it', async () => {
    await nav('Data').click();
    const panel = page.getByRole('heading', { name: 'Import a component list' }).locator('..');
    await panel.getByLabel('File').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('Tag No;Category;Status\nP-1;Spool;Done\nP-2;Valve;Completed\n') });
    await expect.poll(() => page.getByTestId('import-problems').textContent()).toContain('Line 2, Status “Done”: unknown status');
    expect(await panel.getByRole('button', { name: /^Import \d/ }).isDisabled()).toBe(true);
    await panel.getByLabel('File').setInputFiles({ name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from('Tag No;Category;Status;Iso\nP-1;Spool;Completed;ISO-1\nP-2;Valve;In progress;ISO-1\nP-3;Support;;ISO-2\n') });
    await expect.poll(() => page.getByTestId('import-preview').textContent()).toContain('First 3 of 3 rows');
    expect(await page.getByRole('combobox', { name: 'Drawing' }).inputValue()).toBe('Iso');
    await page.screenshot({ path: path.join(shots, 'data-import.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    const before = (app.services.db.prepare('SELECT count(*) AS n FROM components').get() as { n: number }).n;
    await panel.getByLabel('Milestones (optional)').setInputFiles({ name: 'milestones.csv', mimeType: 'text/csv', buffer: Buffer.from('Tag,Milestone,Completed,Date\nP-1,Receive,yes,2026-11-01\nP-9,Receive,no,\n') });
    await expect.poll(() => page.getByTestId('import-problems').textContent()).toContain('Line 3, Tag (milestones) “P-9”: unknown tag (not in the component list)');
    await panel.getByLabel('Milestones (optional)').setInputFiles({ name: 'milestones.csv', mimeType: 'text/csv', buffer: Buffer.from('Tag,Milestone,Completed,Date\nP-1,Receive,yes,2026-11-01\nP-2,Receive,no,\n') });
    await expect.poll(() => page.getByTestId('import-problems').count()).toBe(0);
    await panel.getByRole('button', { name: 'Import 3 rows' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toBe(`Imported 3 rows: 3 added, 0 changed, 0 unchanged, ${before.toLocaleString('en-US')} removed. Milestones: 2 added, 0 changed, 0 unchanged, 0 removed.`);
    expect((app.services.db.prepare('SELECT group_concat(tag) AS t FROM (SELECT tag FROM components ORDER BY tag)').get() as { t: string }).t).toBe('P-1,P-2,P-3');
  });
});
