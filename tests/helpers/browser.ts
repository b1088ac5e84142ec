/** Debian's Chromium driven by playwright-core against `sitereport web` started in-process. */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';
import { openAppServices, type AppServices } from '../../src/main/services/appServices';
import { createHandlers } from '../../src/main/ipc/handlers';
import { startWebServer, type RunningWebServer } from '../../src/main/host/webServer';
import { ensureRendererBuild } from '../../src/main/host/rendererBuild';
import { ExportFolders, ExportJobs } from '../../src/main/services/exportJobs';
import { SchedulerHost } from '../../src/main/scheduler/schedulerHost';
import { environmentPassword } from '../../src/main/delivery/smtpSettings';
import { tempDir } from './fixtureDb';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = (): boolean => fs.existsSync(CHROMIUM);

export interface WebApp {
  services: AppServices;
  server: RunningWebServer;
  exportDir: string;
  dbPath: string;
  close(): Promise<void>;
}

/** A fresh demo database and a web server on loopback. */
export async function startWebApp(components = 2000, now?: () => Date): Promise<WebApp> {
  const dir = tempDir('sitereport-e2e-');
  const dbPath = path.join(dir, 'e2e.db');
  createDemoDatabase(dbPath, { components, seed: 3, anchorDate: '2026-11-22' });
  const services = openAppServices({ dbPath, now });
  const exportDir = path.join(dir, 'exports');
  const staticDir = await ensureRendererBuild(() => undefined);
  const scheduler = new SchedulerHost(services, { password: environmentPassword({}) });
  const server = await startWebServer({ handlers: createHandlers(services, new ExportJobs(services, new ExportFolders(exportDir)), scheduler), staticDir });
  return {
    services,
    server,
    exportDir,
    dbPath,
    async close() {
      await server.close();
      await scheduler.stop();
      services.close();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // evaluate runs outside the page's CSP, which would refuse an injected script tag.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const g = globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> }; document: unknown };
    return g.axe.run(g.document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
