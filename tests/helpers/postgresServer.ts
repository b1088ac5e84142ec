/**
 * A throwaway PostgreSQL cluster for the sync tests and benchmark: Debian's PostgreSQL binaries,
 * initdb into a temporary folder (as the postgres user when running as root, since initdb
 * refuses root), listening on a free loopback port with password authentication, stopped and
 * removed afterwards. The PipeTrak schema comes from tests/fixtures/pipetrak-schema.sql, and a
 * read-only login role is what SiteReport connects with.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import pg from 'pg';

export const SCHEMA_SQL = path.resolve(import.meta.dirname, '../fixtures/pipetrak-schema.sql');
const ADMIN_PASSWORD = 'admin-secret';
export const READER = { user: 'sitereport_reader', password: 'reader-secret' };

function findBinary(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const file = path.join(dir, name);
    if (dir && fs.existsSync(file)) return file;
  }
  const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const file = path.join('/usr/lib/postgresql', v, 'bin', name);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

export const hasPostgres = (): boolean => findBinary('initdb') !== null && findBinary('pg_ctl') !== null;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface PostgresServer {
  port: number;
  /** The read-only role's address for SiteReport. */
  readerUrl: string;
  adminUrl: string;
  admin(): Promise<pg.Client>;
  /** Runs SQL as the owner. */
  exec(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  stop(): void;
  start(): void;
  remove(): void;
}

export async function startPostgres(): Promise<PostgresServer> {
  const initdb = findBinary('initdb');
  const pgCtl = findBinary('pg_ctl');
  if (!initdb || !pgCtl) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sitereport-pg-'));
  const dataDir = path.join(dir, 'data');
  const pwFile = path.join(dir, 'pw');
  fs.writeFileSync(pwFile, ADMIN_PASSWORD);
  if (root) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const asOwner = (file: string, args: string[]) => (root ? (['runuser', ['-u', 'postgres', '--', file, ...args]] as const) : ([file, args] as const));
  const run = (file: string, args: string[]) => {
    const [cmd, argv] = asOwner(file, args);
    const r = spawnSync(cmd, [...argv], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${path.basename(file)} failed: ${r.stderr || r.stdout}`);
  };
  run(initdb, ['-D', dataDir, '-U', 'postgres', '--pwfile', pwFile, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const startServer = () =>
    run(pgCtl, ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`, 'start']);
  const stopServer = () => run(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
  startServer();
  const adminUrl = `postgres://postgres:${ADMIN_PASSWORD}@127.0.0.1:${port}/pipetrak`;
  const bootstrap = new pg.Client({ connectionString: `postgres://postgres:${ADMIN_PASSWORD}@127.0.0.1:${port}/postgres` });
  await bootstrap.connect();
  await bootstrap.query('CREATE DATABASE pipetrak');
  await bootstrap.end();
  const admin = async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    return c;
  };
  const exec = async (sql: string, params?: unknown[]) => {
    const c = await admin();
    try {
      return await c.query(sql, params);
    } finally {
      await c.end();
    }
  };
  await exec(fs.readFileSync(SCHEMA_SQL, 'utf8'));
  await exec(`CREATE ROLE ${READER.user} LOGIN PASSWORD '${READER.password}';
              GRANT USAGE ON SCHEMA public TO ${READER.user};
              GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${READER.user};`);
  let running = true;
  return {
    port,
    readerUrl: `postgres://${READER.user}:${READER.password}@127.0.0.1:${port}/pipetrak`,
    adminUrl,
    admin,
    exec,
    stop() {
      if (running) stopServer();
      running = false;
    },
    start() {
      if (!running) startServer();
      running = true;
    },
    remove() {
      try {
        if (running) run(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        running = false;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
