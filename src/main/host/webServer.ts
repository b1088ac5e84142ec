/**
 * Web mode: the same renderer and the same contract over HTTP, for machines without a
 * desktop and for browser end-to-end tests. Loopback only; every API call needs the per-run
 * token; a request whose Host or Origin is not this server is refused (DNS rebinding, CSRF).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { dispatch, type Handlers } from '../ipc/handlers';
import { CONTENT_SECURITY_POLICY } from '../windows/windowSecurity';

export interface WebServerOptions {
  handlers: Handlers;
  staticDir: string;
  port?: number;
  token?: string;
}

export interface RunningWebServer {
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
/** Imports send the file itself (base64), up to the contract's limit. */
const MAX_BODY = 32 * 1024 * 1024;

function send(res: http.ServerResponse, status: number, body: string | Buffer, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const root = path.resolve(options.staticDir);
  let origin = '';

  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (`http://${host}` !== origin) return send(res, 421, JSON.stringify({ ok: false, error: { code: 'INVALID_INPUT', message: 'wrong host' } }));
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, JSON.stringify({ ok: false, error: { code: 'INVALID_INPUT', message: 'use POST' } }));
      if (req.headers.origin !== undefined && req.headers.origin !== origin) {
        return send(res, 403, JSON.stringify({ ok: false, error: { code: 'INVALID_INPUT', message: 'cross-origin request refused' } }));
      }
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ') || !tokensEqual(auth.slice(7), token)) {
        return send(res, 401, JSON.stringify({ ok: false, error: { code: 'INVALID_INPUT', message: 'missing or wrong token' } }));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) req.destroy();
        else chunks.push(c);
      });
      req.on('end', () => {
        let input: unknown;
        try {
          input = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
        } catch {
          return send(res, 400, JSON.stringify({ ok: false, error: { code: 'INVALID_INPUT', message: 'body is not JSON' } }));
        }
        const result = dispatch(options.handlers, url.pathname.slice(5), input);
        send(res, 200, JSON.stringify(result));
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', 'text/plain');
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(root, relative);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return send(res, 404, 'not found', 'text/plain');
    }
    send(res, 200, fs.readFileSync(file), MIME[path.extname(file)] ?? 'application/octet-stream');
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      origin = `http://127.0.0.1:${port}`;
      resolve({
        url: `${origin}/#token=${token}`,
        origin,
        token,
        port,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
