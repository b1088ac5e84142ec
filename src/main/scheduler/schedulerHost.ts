/**
 * The scheduler inside a running app (the Electron services process or web mode): a pass of
 * the runner on start (catch-up) and then every half minute on the monotonic timer, backfill
 * jobs resumed on start, the outbox drained whenever mail is set up. Passes never overlap.
 */
import type { SchedulerStatusJson, SmtpStatusJson } from '../../shared/contract';
import { Outbox } from '../delivery/outbox';
import { mailSetupFor } from '../delivery/mailSetup';
import { readSmtpSettings, saveSmtpSettings, type SmtpPasswordSource } from '../delivery/smtpSettings';
import { AppError } from '../../shared/errors';
import type { AppServices } from '../services/appServices';
import { BackfillJobs } from './backfillJobs';
import { systemClock, type Clock } from './clock';
import { runDue, type RunDueResult } from './scheduleRunner';

export interface SchedulerHostOptions {
  clock?: Clock;
  password: SmtpPasswordSource;
  tickMs?: number;
  log?: (line: string) => void;
}

export function summarisePass(r: RunDueResult): string {
  if (r.lease === 'busy') return 'another runner was working';
  const delivered = r.slots.filter((s) => s.state === 'delivered').length;
  const failed = r.slots.length - delivered;
  const mail = r.mail ? [`${r.mail.sent} e-mail sent`, r.mail.retrying ? `${r.mail.retrying} waiting to retry` : null, r.mail.failed ? `${r.mail.failed} refused` : null] : [r.queuedMail ? `${r.queuedMail} e-mail queued` : null];
  const parts = [`${delivered} delivered`, failed ? `${failed} failed` : null, ...mail];
  return parts.filter(Boolean).join(', ');
}

export class SchedulerHost {
  readonly backfills: BackfillJobs;
  readonly outbox: Outbox;
  private readonly clock: Clock;
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private lastPassAt: string | null = null;
  private lastPassSummary: string | null = null;

  constructor(
    private readonly services: AppServices,
    private readonly options: SchedulerHostOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.backfills = new BackfillJobs(services);
    this.outbox = new Outbox(services.db, this.clock);
  }

  start(): void {
    this.backfills.resumeInterrupted();
    this.runPass();
    this.timer = setInterval(() => this.runPass(), this.options.tickMs ?? 30_000);
    this.timer.unref();
  }

  /** Starts a pass unless one is running; errors are logged, never thrown into the timer. */
  runPass(): SchedulerStatusJson {
    const started = this.pass === null;
    if (started) {
      this.pass = runDue(this.services, { clock: this.clock, mail: () => mailSetupFor(this.services, this.options.password) })
        .then((r) => {
          this.lastPassSummary = summarisePass(r);
          if (r.slots.length > 0 || r.mail?.sent) this.options.log?.(`scheduler: ${this.lastPassSummary}`);
        })
        .catch((err: unknown) => {
          this.lastPassSummary = `stopped: ${err instanceof Error ? err.message : String(err)}`;
          this.options.log?.(`scheduler ${this.lastPassSummary}`);
        })
        .finally(() => {
          this.lastPassAt = new Date(this.clock.wallMs()).toISOString();
          this.pass = null;
        });
    }
    return { started, lastPassAt: this.lastPassAt, lastPassSummary: this.lastPassSummary };
  }

  /** Resolves when the current pass (if any) has ended. */
  async idle(): Promise<void> {
    await this.pass;
  }

  smtpStatus(): SmtpStatusJson {
    return { settings: readSmtpSettings(this.services.db), passwordStore: this.options.password.kind, passwordAvailable: this.options.password.password() !== null };
  }

  /** Saves the settings; a password can only be kept where there is an OS keychain (the
      desktop app stores it before this is called and passes none here). */
  saveSmtp(settings: unknown, password: string | undefined): SmtpStatusJson {
    if (password !== undefined && password !== '' && this.options.password.kind !== 'os-keychain') {
      throw new AppError('INVALID_INPUT', 'there is no OS keychain in web mode, so the password is not stored: set SITEREPORT_SMTP_PASSWORD in the environment of `sitereport web` and `schedule run-due`');
    }
    saveSmtpSettings(this.services.db, settings);
    return this.smtpStatus();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pass;
    await this.backfills.stopAll();
  }
}
