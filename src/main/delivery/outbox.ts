/**
 * The e-mail outbox (SPEC §8): messages are written in the same transaction that marks their
 * slot delivered, then sent when a server answers. Each (slot, recipient) has one row and one
 * stable Message-ID, so a crash between the server's 250 and our mark resends at most once,
 * under the same Message-ID, which mail clients show as one message.
 */
import { createHash } from 'node:crypto';
import type { OutboxJson } from '../../shared/contract';
import type { Db } from '../db/connection';
import type { Clock } from '../scheduler/clock';
import { crashPoint } from '../scheduler/crashPoints';
import { MailError, type Mailer } from './mailer';

export interface OutboxMessage {
  scheduleId: number | null;
  slot: string | null;
  runId: number | null;
  recipient: string;
  subject: string;
  body: string;
  attachments: Array<{ filename: string; path: string }>;
}

export type { OutboxJson };

export interface DrainResult {
  sent: number;
  retrying: number;
  failed: number;
}

const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 60 * 60_000;

export function messageIdFor(scheduleId: number | null, slot: string | null, recipient: string, runId: number | null): string {
  const who = createHash('sha256').update(recipient.toLowerCase()).digest('hex').slice(0, 12);
  const what = slot ? `${scheduleId ?? 0}.${slot.replace(/[^0-9TZ]/g, '')}` : `run${runId ?? 0}`;
  return `<sitereport.${what}.${who}@sitereport.local>`;
}

/** Exponential backoff with ±20 % jitter, so a dozen laptops coming back online spread out. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
  return Math.round(base * (0.8 + 0.4 * random()));
}

type Row = { id: number; schedule_id: number | null; slot: string | null; recipient: string; subject: string; body: string; attachments_json: string; message_id: string; attempts: number };

export class Outbox {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Queues messages (inside the caller's transaction); a message already queued is kept. */
  enqueue(messages: OutboxMessage[]): number {
    const insert = this.db.prepare(
      `INSERT INTO outbox (schedule_id, slot, run_id, recipient, message_id, subject, body, attachments_json, state, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (message_id) DO NOTHING`,
    );
    const now = new Date(this.clock.wallMs()).toISOString();
    let n = 0;
    for (const m of messages) {
      n += insert.run(m.scheduleId, m.slot, m.runId, m.recipient, messageIdFor(m.scheduleId, m.slot, m.recipient, m.runId), m.subject, m.body, JSON.stringify(m.attachments), now, now).changes;
    }
    return n;
  }

  /** Sends what is due. A wall clock set back does not strand messages: a retry time further
      ahead than the longest backoff counts as due. */
  async drain(mailer: Mailer, from: string, limit = 100): Promise<DrainResult> {
    const now = this.clock.wallMs();
    const due = this.db
      .prepare(`SELECT id, schedule_id, slot, recipient, subject, body, attachments_json, message_id, attempts FROM outbox
                WHERE state = 'pending' AND (next_attempt_at <= ? OR next_attempt_at > ?) ORDER BY id LIMIT ?`)
      .all(new Date(now).toISOString(), new Date(now + BACKOFF_MAX_MS * 1.5).toISOString(), limit) as Row[];
    const result: DrainResult = { sent: 0, retrying: 0, failed: 0 };
    for (const row of due) {
      try {
        await mailer.send({ from, to: row.recipient, subject: row.subject, text: row.body, messageId: row.message_id, attachments: JSON.parse(row.attachments_json) as Array<{ filename: string; path: string }> });
        crashPoint('after-smtp-accept');
        this.db.prepare("UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?").run(new Date(this.clock.wallMs()).toISOString(), row.id);
        result.sent += 1;
      } catch (err) {
        const transient = err instanceof MailError ? err.transient : true;
        const message = err instanceof Error ? err.message : String(err);
        if (transient) {
          const at = new Date(this.clock.wallMs() + backoffMs(row.attempts + 1)).toISOString();
          this.db.prepare('UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?').run(at, message, row.id);
          result.retrying += 1;
        } else {
          this.db.prepare("UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?").run(message, row.id);
          result.failed += 1;
        }
      }
    }
    return result;
  }

  list(limit = 200): OutboxJson[] {
    return this.db
      .prepare(
        `SELECT id, schedule_id AS scheduleId, slot, recipient, subject, message_id AS messageId, state, attempts, next_attempt_at AS nextAttemptAt,
                last_error AS lastError, sent_at AS sentAt FROM outbox ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as OutboxJson[];
  }

  /** A failed message queued again (after the user fixed the address or the settings). */
  retry(id: number): number {
    return this.db.prepare("UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = NULL WHERE id = ? AND state = 'failed'").run(new Date(this.clock.wallMs()).toISOString(), id).changes;
  }
}
