/**
 * The app's sync control: one sync at a time in this process, started in the background so the
 * window stays responsive, with live progress, cancel, and the stored status line.
 */
import { AppError } from '../../shared/errors';
import type { SyncProgressJson, SyncResultJson, SyncStatusJson } from '../../shared/contract';
import type { AppServices } from '../services/appServices';
import { syncFromServer, type SyncOptions } from './serverSync';
import { checkServerUrl } from './serverErrors';
import { readSyncStatus } from './syncStatus';

interface Running {
  controller: AbortController;
  progress: SyncProgressJson | null;
  done: Promise<SyncResultJson | null>;
}

export class SyncJobs {
  private running: Running | null = null;

  constructor(
    private readonly services: AppServices,
    private readonly options: Omit<SyncOptions, 'signal' | 'onProgress'> = {},
  ) {}

  start(url: string): SyncStatusJson {
    if (this.running) throw new AppError('CONFLICT', 'a sync is already running; wait for it or cancel it');
    checkServerUrl(url);
    const controller = new AbortController();
    const run: Running = { controller, progress: null, done: Promise.resolve(null) };
    run.done = syncFromServer(this.services, url, { ...this.options, signal: controller.signal, onProgress: (p) => (run.progress = p) })
      // The outcome is in the status row; a failure is not an unhandled rejection.
      .catch(() => null)
      .finally(() => {
        if (this.running === run) this.running = null;
      });
    this.running = run;
    return this.status();
  }

  status(): SyncStatusJson {
    const { refreshPending: _pending, ...status } = readSyncStatus(this.services.db, this.running !== null);
    return { ...status, progress: this.running?.progress ?? null };
  }

  cancel(): SyncStatusJson {
    this.running?.controller.abort();
    return this.status();
  }

  /** Resolves when the current sync (if any) has ended: shutdown and tests. */
  async settled(): Promise<SyncResultJson | null> {
    return this.running ? this.running.done : null;
  }

  async stop(): Promise<void> {
    this.running?.controller.abort();
    await this.running?.done;
  }
}
