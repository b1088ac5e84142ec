/**
 * Backfill (SPEC §8): a window of up to 365 days split into daily, weekly or monthly segments;
 * each segment's progress summary is reconstructed as of its period end in a worker thread
 * (at most `parallel` at once) and stored as a snapshot in the same transaction that marks the
 * segment done. A failed segment is retried up to `maxAttempts`; the job ends completed,
 * partial or failed with per-segment status. Everything is in the database, so a job whose
 * process died is resumed without redoing its completed segments.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { BackfillJobJson } from '../../shared/contract';
import { addDays, daysBetween, isIsoDate, isoWeekStart, monthEnd } from '../../shared/dates';
import { findProject } from '../db/projectRepository';
import { workerFiles } from '../host/workerFiles';
import { storeSnapshot } from '../reports/progressSnapshots';
import type { AppServices } from '../services/appServices';
import type { BackfillReply, BackfillRequest, BackfillWorkerData } from './backfillWorker';
import { crashPoint } from './crashPoints';

export type Segment = 'daily' | 'weekly' | 'monthly';
export type BackfillStatus = 'running' | 'completed' | 'partial' | 'failed' | 'cancelled';

export interface BackfillStart {
  projectCode?: string;
  scheduleId?: number | null;
  from: string;
  to: string;
  segment: Segment;
  parallel?: number;
  maxAttempts?: number;
}

export type { BackfillJobJson };

export const MAX_BACKFILL_DAYS = 365;

/** The window cut into periods; the last period ends at `to`, the first starts at `from`. */
export function segmentsOf(from: string, to: string, segment: Segment): Array<{ start: string; end: string }> {
  const out: Array<{ start: string; end: string }> = [];
  for (let start = from; start <= to; ) {
    const natural = segment === 'daily' ? start : segment === 'weekly' ? addDays(isoWeekStart(start), 6) : monthEnd(start);
    const end = natural < to ? natural : to;
    out.push({ start, end });
    start = addDays(end, 1);
  }
  return out;
}

interface JobRow {
  id: number;
  project_code: string;
  schedule_id: number | null;
  from_date: string;
  to_date: string;
  segment: Segment;
  parallel: number;
  max_attempts: number;
  status: BackfillStatus;
  created_at: string;
  finished_at: string | null;
}

export class BackfillJobs {
  private readonly running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  private readonly listeners = new Set<(job: BackfillJobJson) => void>();

  constructor(private readonly services: AppServices) {}

  /** Progress events: called after every segment and when a job ends. */
  onChange(listener: (job: BackfillJobJson) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(input: BackfillStart): BackfillJobJson {
    if (!isIsoDate(input.from) || !isIsoDate(input.to)) throw new AppError('INVALID_INPUT', 'a backfill needs dates as YYYY-MM-DD');
    if (input.from > input.to) throw new AppError('INVALID_INPUT', `the backfill starts (${input.from}) after it ends (${input.to})`);
    const days = daysBetween(input.from, input.to) + 1;
    if (days > MAX_BACKFILL_DAYS) throw new AppError('INVALID_INPUT', `a backfill covers at most ${MAX_BACKFILL_DAYS} days; this one covers ${days}`);
    const parallel = input.parallel ?? 2;
    const maxAttempts = input.maxAttempts ?? 3;
    if (!Number.isInteger(parallel) || parallel < 1 || parallel > 8) throw new AppError('INVALID_INPUT', 'run 1 to 8 segments at once');
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) throw new AppError('INVALID_INPUT', 'try a segment 1 to 10 times');
    const project = findProject(this.services.db, input.projectCode);
    const { db } = this.services;
    const id = db.transaction(() => {
      const jobId = Number(
        db
          .prepare(`INSERT INTO backfill_jobs (project_id, schedule_id, from_date, to_date, segment, parallel, max_attempts, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)`)
          .run(project.id, input.scheduleId ?? null, input.from, input.to, input.segment, parallel, maxAttempts, this.services.now().toISOString()).lastInsertRowid,
      );
      const insert = db.prepare(`INSERT INTO backfill_segments (job_id, period_start, period_end, status) VALUES (?, ?, ?, 'pending')`);
      for (const s of segmentsOf(input.from, input.to, input.segment)) insert.run(jobId, s.start, s.end);
      return jobId;
    })();
    this.launch(id);
    return this.get(id);
  }

  get(id: number): BackfillJobJson {
    const row = this.services.db.prepare(`SELECT j.*, p.code AS project_code FROM backfill_jobs j JOIN projects p ON p.id = j.project_id WHERE j.id = ?`).get(id) as JobRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no backfill job ${id}`);
    return this.toJson(row);
  }

  list(): BackfillJobJson[] {
    const rows = this.services.db.prepare(`SELECT j.*, p.code AS project_code FROM backfill_jobs j JOIN projects p ON p.id = j.project_id ORDER BY j.id DESC LIMIT 50`).all() as JobRow[];
    return rows.map((r) => this.toJson(r));
  }

  cancel(id: number): BackfillJobJson {
    this.get(id);
    this.running.get(id)?.controller.abort();
    return this.get(id);
  }

  /** Jobs left `running` by a process that died: run their unfinished segments. */
  resumeInterrupted(): number[] {
    const ids = (this.services.db.prepare("SELECT id FROM backfill_jobs WHERE status = 'running' ORDER BY id").all() as Array<{ id: number }>).map((r) => r.id).filter((id) => !this.running.has(id));
    for (const id of ids) this.launch(id);
    return ids;
  }

  /** Resolves when the job's run in this process has ended (tests, shutdown). */
  async settled(id: number): Promise<BackfillJobJson> {
    await this.running.get(id)?.done;
    return this.get(id);
  }

  async stopAll(): Promise<void> {
    for (const r of this.running.values()) r.controller.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private toJson(r: JobRow): BackfillJobJson {
    const counts = this.services.db.prepare(`SELECT status, count(*) AS n FROM backfill_segments WHERE job_id = ? GROUP BY status`).all(r.id) as Array<{ status: string; n: number }>;
    const n = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
    const failures = this.services.db
      .prepare(`SELECT period_end AS periodEnd, attempts, error FROM backfill_segments WHERE job_id = ? AND status = 'failed' ORDER BY period_end LIMIT 20`)
      .all(r.id) as BackfillJobJson['failures'];
    return {
      id: r.id,
      projectCode: r.project_code,
      scheduleId: r.schedule_id,
      from: r.from_date,
      to: r.to_date,
      segment: r.segment,
      parallel: r.parallel,
      maxAttempts: r.max_attempts,
      status: r.status,
      segments: { total: n('pending') + n('completed') + n('failed'), completed: n('completed'), failed: n('failed'), pending: n('pending') },
      failures,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
    };
  }

  private emit(id: number): void {
    if (this.listeners.size === 0) return;
    const job = this.get(id);
    for (const l of this.listeners) l(job);
  }

  private launch(id: number): void {
    const controller = new AbortController();
    const done = this.run(id, controller.signal)
      .catch((err: unknown) => {
        process.stderr.write(`backfill ${id} stopped: ${err instanceof Error ? err.message : String(err)}\n`);
        // A database closed under a running job (shutdown without stopAll) leaves it 'running',
        // which resumeInterrupted picks up next time.
        if (this.services.db.open) this.services.db.prepare("UPDATE backfill_jobs SET status = 'failed', finished_at = ? WHERE id = ?").run(this.services.now().toISOString(), id);
      })
      .finally(() => {
        this.running.delete(id);
        if (this.services.db.open) this.emit(id);
      });
    this.running.set(id, { controller, done });
  }

  private async run(id: number, signal: AbortSignal): Promise<void> {
    const { db } = this.services;
    const job = this.get(id);
    const project = findProject(db, job.projectCode);
    // Failed segments of an interrupted job get their remaining attempts; completed ones stay.
    const todo = db
      .prepare(`SELECT period_end AS periodEnd, attempts FROM backfill_segments WHERE job_id = ? AND status <> 'completed' AND attempts < ? ORDER BY period_end`)
      .all(id, job.maxAttempts) as Array<{ periodEnd: string; attempts: number }>;
    const queue = [...todo];
    const files = await workerFiles();
    const data: BackfillWorkerData = { dbPath: this.services.dbPath, projectCode: job.projectCode, nowIso: this.services.now().toISOString() };
    const workers = Array.from({ length: Math.min(job.parallel, Math.max(1, queue.length)) }, () => new Worker(files.backfillWorker, { workerData: data }));
    const markDone = db.prepare(`UPDATE backfill_segments SET status = 'completed', attempts = attempts + 1, error = NULL, finished_at = ? WHERE job_id = ? AND period_end = ?`);
    const markFailed = db.prepare(`UPDATE backfill_segments SET status = ?, attempts = attempts + 1, error = ?, finished_at = ? WHERE job_id = ? AND period_end = ?`);
    try {
      await Promise.all(
        workers.map(async (worker) => {
          for (let next = queue.shift(); next && !signal.aborted; next = queue.shift()) {
            const segment = next;
            const attempt = segment.attempts + 1;
            const reply = await new Promise<BackfillReply>((resolve, reject) => {
              const onMessage = (m: BackfillReply) => {
                if (m.periodEnd !== segment.periodEnd) return;
                worker.off('message', onMessage);
                worker.off('error', reject);
                resolve(m);
              };
              worker.on('message', onMessage);
              worker.once('error', reject);
              worker.postMessage({ periodEnd: segment.periodEnd, attempt } satisfies BackfillRequest);
            });
            const at = this.services.now().toISOString();
            if (reply.ok) {
              db.transaction(() => {
                storeSnapshot(db, project, segment.periodEnd, reply.figures, this.services.now());
                markDone.run(at, id, segment.periodEnd);
              })();
              crashPoint('after-backfill-segment');
            } else {
              const retry = attempt < job.maxAttempts;
              markFailed.run(retry ? 'pending' : 'failed', reply.message, at, id, segment.periodEnd);
              if (retry) queue.push({ periodEnd: segment.periodEnd, attempts: attempt });
            }
            this.emit(id);
          }
        }),
      );
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
    const after = this.get(id);
    const status: BackfillStatus = signal.aborted && after.segments.pending > 0 ? 'cancelled' : after.segments.failed === 0 && after.segments.pending === 0 ? 'completed' : after.segments.completed > 0 ? 'partial' : 'failed';
    db.prepare('UPDATE backfill_jobs SET status = ?, finished_at = ? WHERE id = ?').run(status, this.services.now().toISOString(), id);
  }
}
