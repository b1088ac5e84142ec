/**
 * App benchmarks (issue 5) in Debian's Chromium: `sitereport web` start to the dashboard fully
 * rendered (KPIs and both charts), grid jumps through a million rows (how long rows stay
 * blank), and the builder's preview after a field is added. The baseline is the server alone:
 * start to its first answered request, measured in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Row } from './foundation';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BIN = path.join(import.meta.dirname, '..', 'bin', 'sitereport');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function startWeb(db: string): Promise<{ child: ChildProcess; url: string; startedAt: number }> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [BIN, 'web', '--db', db], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`sitereport web exited ${code}`)));
  });
  return { child, url, startedAt };
}

async function stop(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function dashboardTimes(browser: Browser, db: string, runs: number): Promise<{ ui: number[]; server: number[] }> {
  const ui: number[] = [];
  const server: number[] = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { child, url, startedAt } = await startWeb(db);
    server.push(performance.now() - startedAt);
    await page.goto(url);
    await page.waitForFunction(() => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null; querySelectorAll(s: string): { length: number } } }).document;
      return /\d/.test(d.querySelector('[aria-label="Key figures"]')?.textContent ?? '') && d.querySelectorAll('.chart canvas').length >= 2;
    }, undefined, { timeout: 60_000, polling: 10 });
    ui.push(performance.now() - startedAt);
    await page.close();
    await stop(child);
  }
  return { ui, server };
}

async function gridJumps(browser: Browser, db: string, jumps: number): Promise<number[]> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const { child, url } = await startWeb(db);
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Components', exact: true }).click();
  await page.waitForSelector('.ag-row .ag-cell[col-id="tag"]', { timeout: 60_000 });
  await page.waitForFunction(() => /components/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-testid="grid-count"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
  const blanks: number[] = [];
  for (let i = 0; i < jumps; i++) {
    const fraction = ((i * 7919) % 97) / 97;
    // No named functions inside: tsx would wrap them in a helper the page does not have.
    const t = await page.evaluate(async (f) => {
      type Box = { top: number; bottom: number };
      type El = { scrollTop: number; scrollHeight: number; clientHeight: number; getBoundingClientRect(): Box; classList: { contains(c: string): boolean } };
      const d = (globalThis as unknown as { document: { querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El> } }).document;
      const viewport = d.querySelector('.ag-body-vertical-scroll-viewport');
      if (!viewport) throw new Error('no grid viewport');
      const view = viewport.getBoundingClientRect();
      viewport.scrollTop = f * (viewport.scrollHeight - viewport.clientHeight);
      const started = performance.now();
      for (;;) {
        // Rows are shown once every row element inside the visible band is loaded; rows still
        // placed at the old position lie outside the band, so the band reads as blank.
        await new Promise((r) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => r(null)));
        const rows = d.querySelectorAll('.ag-row');
        let inView = 0;
        let loading = 0;
        for (let k = 0; k < rows.length; k++) {
          const row = rows[k] as El;
          const box = row.getBoundingClientRect();
          if (box.bottom <= view.top + 1 || box.top >= view.bottom - 1) continue;
          inView += 1;
          if (row.classList.contains('ag-row-loading')) loading += 1;
        }
        if ((inView >= 10 && loading === 0) || performance.now() - started > 10_000) break;
      }
      return performance.now() - started;
    }, fraction);
    blanks.push(t);
  }
  await page.close();
  await stop(child);
  return blanks;
}

async function builderPreview(browser: Browser, db: string, steps: number): Promise<number[]> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const { child, url } = await startWeb(db);
  await page.goto(url);
  await page.evaluate(() => (globalThis as unknown as { localStorage: { clear(): void } }).localStorage.clear());
  await page.reload();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Builder', exact: true }).click();
  await page.getByTestId('live-preview').waitFor({ timeout: 60_000 });
  const times: number[] = [];
  const fields = ['Area', 'Type', 'System', 'Status'];
  for (let i = 0; i < steps; i++) {
    const before = await page.getByTestId('live-preview').textContent();
    const field = fields[i % fields.length] as string;
    const started = performance.now();
    await page.getByRole('button', { name: `Add ${field} to Rows` }).click();
    await page.waitForFunction((b) => {
      const el = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-testid="live-preview"]');
      return el !== null && el.textContent !== b;
    }, before, { timeout: 30_000, polling: 5 });
    times.push(performance.now() - started);
    // Remove it again so each step groups by one more field from the same start.
    await page.getByTestId('zone-rows').getByRole('button', { name: 'Remove' }).first().click();
    await page.waitForTimeout(300);
  }
  await page.close();
  await stop(child);
  return times;
}

export async function runUiBench(small: { file: string; size: string }, large: { file: string; size: string }, log: (s: string) => void): Promise<Row[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  const rows: Row[] = [];
  try {
    for (const [db, target] of [
      [small, '≤ 1.5 s'],
      [large, '≤ 2.5 s'],
    ] as const) {
      log(`ui: dashboard on ${db.size}…`);
      const t = await dashboardTimes(browser, db.file, 5);
      rows.push({ name: '`sitereport web` start → dashboard rendered (KPIs and both charts)', size: db.size, runs: 5, medianMs: median(t.ui), target, ratio: `${(median(t.ui) / median(t.server)).toFixed(2)}× server start alone (${median(t.server).toFixed(0)} ms)` });
    }
    log('ui: grid jumps…');
    const jumps = await gridJumps(browser, large.file, 15);
    log(`ui: jump times ${jumps.map((j) => j.toFixed(0)).join(" ")} ms`);
    rows.push({ name: `component grid: rows blank after a jump (15 jumps; worst ${Math.max(...jumps).toFixed(0)} ms)`, size: large.size, runs: jumps.length, medianMs: median(jumps), target: 'no blank rows longer than 200 ms' });
    log('ui: builder preview…');
    const preview = await builderPreview(browser, large.file, 8);
    rows.push({ name: `builder: live preview updated after a field is added (worst ${Math.max(...preview).toFixed(0)} ms)`, size: large.size, runs: preview.length, medianMs: median(preview), target: '≤ 300 ms' });
  } finally {
    await browser.close();
  }
  return rows;
}
