/**
 * Writes go to a temporary name in the target folder and are renamed into place when complete,
 * so a reader never sees a half-written file and a failure leaves nothing under the final name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

export class AtomicFileWriter {
  private readonly fd: number;
  private readonly tempPath: string;
  private closed = false;

  constructor(readonly finalPath: string) {
    const dir = path.dirname(path.resolve(finalPath));
    this.tempPath = path.join(dir, `.${path.basename(finalPath)}.${process.pid}.${Date.now()}.part`);
    try {
      this.fd = fs.openSync(this.tempPath, 'wx');
    } catch (err) {
      throw new AppError('READ_ONLY', `cannot write to ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }

  write(text: string): void {
    try {
      fs.writeSync(this.fd, text);
    } catch (err) {
      this.abort();
      throw new AppError('READ_ONLY', `writing ${this.finalPath} failed: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }

  commit(): void {
    try {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.closed = true;
      fs.renameSync(this.tempPath, this.finalPath);
    } catch (err) {
      this.abort();
      throw new AppError('READ_ONLY', `saving ${this.finalPath} failed: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }

  abort(): void {
    if (!this.closed) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
      this.closed = true;
    }
    fs.rmSync(this.tempPath, { force: true });
  }
}
