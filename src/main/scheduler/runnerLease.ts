/**
 * One scheduler at a time across processes (the app, `schedule run-due` from cron, a second
 * app window): a lease row in the database, taken and renewed in IMMEDIATE transactions. A
 * lease is free when it has expired, when its holder's process on this machine is gone (a
 * killed runner frees it at once), or when its expiry lies further ahead than one lease term
 * (the wall clock was set back; a live holder notices at its next renewal and stops).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Db } from '../db/connection';
import type { Clock } from './clock';

interface LeaseRow {
  holder: string;
  host: string;
  pid: number;
  expires_at: string;
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunnerLease {
  readonly holder = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly name = 'scheduler',
    private readonly termMs = 120_000,
  ) {}

  private isFree(row: LeaseRow | undefined, now: number): boolean {
    if (!row || row.holder === this.holder) return true;
    const expires = Date.parse(row.expires_at);
    if (expires <= now || expires - now > this.termMs) return true;
    return row.host === os.hostname() && !processIsAlive(row.pid);
  }

  /** Takes or renews the lease; false when another live runner holds it. */
  acquire(): boolean {
    return this.db.transaction(() => {
      const now = this.clock.wallMs();
      const row = this.db.prepare('SELECT holder, host, pid, expires_at FROM runner_leases WHERE name = ?').get(this.name) as LeaseRow | undefined;
      if (!this.isFree(row, now)) return false;
      this.db
        .prepare(
          `INSERT INTO runner_leases (name, holder, host, pid, expires_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid, expires_at = excluded.expires_at`,
        )
        .run(this.name, this.holder, os.hostname(), process.pid, new Date(now + this.termMs).toISOString());
      return true;
    }).immediate();
  }

  /** Whether this runner still holds the lease (renewing it); false means stop. */
  renew(): boolean {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT holder FROM runner_leases WHERE name = ?').get(this.name) as { holder: string } | undefined;
      if (row?.holder !== this.holder) return false;
      this.db.prepare('UPDATE runner_leases SET expires_at = ? WHERE name = ?').run(new Date(this.clock.wallMs() + this.termMs).toISOString(), this.name);
      return true;
    }).immediate();
  }

  release(): void {
    this.db.prepare('DELETE FROM runner_leases WHERE name = ? AND holder = ?').run(this.name, this.holder);
  }
}
