import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { openAppServices, type AppServices } from '../../src/main/services/appServices';
import { createHandlers, dispatch } from '../../src/main/ipc/handlers';
import { startWebServer, type RunningWebServer } from '../../src/main/host/webServer';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';
import { tempDir } from '../helpers/fixtureDb';
import { ExportFolders, ExportJobs } from '../../src/main/services/exportJobs';
import type { ExportJobJson } from '../../src/shared/contract';

let services: AppServices;
let server: RunningWebServer;
const staticDir = tempDir('sitereport-static-');

beforeAll(async () => {
  const file = path.join(tempDir(), 'web.db');
  createDemoDatabase(file, { components: 200, seed: 5, anchorDate: '2026-11-22' });
  services = openAppServices({ dbPath: file });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>SiteReport</title>');
  server = await startWebServer({ handlers: createHandlers(services), staticDir });
});

afterAll(async () => {
  await server.close();
  services.close();
});

function request(pathname: string, init: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: pathname, method: init.method ?? 'GET', headers: { Host: init.host ?? `127.0.0.1:${server.port}`, ...init.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('export jobs through the contract', () => {
  const folder = tempDir('sitereport-job-exports-');
  let jobs: ExportJobs;
  const call = (channel: string, input: unknown) => dispatch(createHandlers(services, jobs), channel, input);
  beforeAll(() => {
    jobs = new ExportJobs(services, new ExportFolders(folder));
  });

  it('runs an export in the background with progress, into the default folder', async () => {
    const started = call('exports/start', { source: { kind: 'builtin', reportId: 'component-details' }, format: 'xlsx', fileName: 'components' });
    expect(started).toMatchObject({ ok: true, value: { status: 'running', rowsWritten: 0 } });
    const id = (started as { value: ExportJobJson }).value.id;
    const done = await jobs.settled(id);
    expect(done).toMatchObject({ status: 'succeeded', rowsWritten: 200, totalRows: 200, file: path.join(folder, 'components.xlsx') });
    expect(fs.existsSync(path.join(folder, 'components.xlsx'))).toBe(true);
    expect((call('exports/list', {}) as { value: ExportJobJson[] }).value[0]?.id).toBe(id);
  });

  it('names a run\'s file by run id only, and refuses runs without that file', async () => {
    const id = ((call('exports/start', { source: { kind: 'builtin', reportId: 'progress-summary' }, format: 'csv', fileName: 'for-open' }) as { value: ExportJobJson }).value).id;
    await jobs.settled(id);
    const run = services.runs.list({ limit: 1 }).runs[0] as { id: number };
    expect(call('files/open', { runId: run.id })).toEqual({ ok: true, value: { path: path.join(folder, 'for-open.csv'), opened: false } });
    expect(call('files/open', { runId: run.id, file: 3 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(call('files/open', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('cancels a running export and leaves no file', async () => {
    const started = call('exports/start', { source: { kind: 'builtin', reportId: 'component-details' }, format: 'csv', fileName: 'never' }) as { value: ExportJobJson };
    expect(call('exports/cancel', { id: started.value.id })).toMatchObject({ ok: true });
    expect(await jobs.settled(started.value.id)).toMatchObject({ status: 'cancelled', file: null });
    expect(fs.readdirSync(folder).filter((f) => f.includes('never'))).toEqual([]);
  });

  it('refuses folders it does not know and names that leave the folder', () => {
    expect(call('exports/start', { source: { kind: 'builtin', reportId: 'progress-summary' }, format: 'csv', folderId: 'f9' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(call('exports/start', { source: { kind: 'builtin', reportId: 'progress-summary' }, format: 'csv', fileName: '../../etc/x' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/another folder/) } });
    expect(call('exports/start', { source: { kind: 'builtin', reportId: 'progress-summary' }, format: 'csv', folder: '/tmp' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(call('exports/folders', {})).toEqual({ ok: true, value: [{ id: 'default', path: folder }] });
  });
});

describe('contract handlers', () => {
  const handlers = () => createHandlers(services);

  it('reject unknown channels and inputs that fail the schema', () => {
    expect(dispatch(handlers(), 'fs/readFile', {})).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'unknown channel "fs/readFile"' } });
    const bad = dispatch(handlers(), 'reports/run', { reportId: 'progress-summary', params: {}, extra: 1 });
    expect(bad.ok).toBe(false);
    const badParam = dispatch(handlers(), 'reports/run', { reportId: 'progress-summary', params: { asOf: '2026-02-31' } });
    expect(badParam).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('run a built-in through the contract', () => {
    const r = dispatch(handlers(), 'reports/run', { reportId: 'progress-summary' });
    expect(r.ok && (r.value as { summary: { totalComponents: number } }).summary.totalComponents).toBe(200);
  });
});

describe('web mode', () => {
  it('listens on loopback only', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers the API with the token', async () => {
    const r = await request('/api/app/info', { method: 'POST', headers: { Authorization: `Bearer ${server.token}` }, body: '{}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { projects: 1 } });
  });

  it('refuses a request without the token, with a wrong token, from another origin or host', async () => {
    expect((await request('/api/app/info', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await request('/api/app/info', { method: 'POST', headers: { Authorization: 'Bearer nope' }, body: '{}' })).status).toBe(401);
    expect((await request('/api/app/info', { method: 'POST', headers: { Authorization: `Bearer ${server.token}`, Origin: 'http://evil.example' }, body: '{}' })).status).toBe(403);
    expect((await request('/api/app/info', { method: 'POST', headers: { Authorization: `Bearer ${server.token}` }, body: '{}', host: 'evil.example' })).status).toBe(421);
  });

  it('serves the page with a CSP and never files outside its folder', async () => {
    const page = await request('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('SiteReport');
    expect((await request('/..%2f..%2fetc%2fpasswd')).status).toBe(404);
    expect((await request('/../../etc/passwd')).status).toBe(404);
  });
});
