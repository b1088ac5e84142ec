/** What went wrong with the server, in the words a site manager can act on. */
import { AppError } from '../../shared/errors';

export class SyncFailure extends AppError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}

/** postgres://user:secret@host/db → postgres://user@host:5432/db (never shown or stored with a password). */
export function describeSource(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `postgres://${user}${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'postgres://(unreadable address)';
  }
}

export function checkServerUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AppError('INVALID_INPUT', 'the server address must look like postgres://user:password@host:5432/database');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new AppError('INVALID_INPUT', `the server address must start with postgres:// (got ${u.protocol}//)`);
  if (!u.hostname) throw new AppError('INVALID_INPUT', 'the server address has no host name');
  if (u.pathname.length <= 1) throw new AppError('INVALID_INPUT', 'the server address names no database (…/database at the end)');
}

interface PgLikeError {
  code?: string;
  message?: string;
}

/** Translates driver and server errors; anything unknown keeps its own message. */
export function explainServerError(err: unknown, source: string): SyncFailure {
  if (err instanceof SyncFailure) return err;
  const e = (err ?? {}) as PgLikeError;
  const message = e.message ?? String(err);
  const where = source.replace(/^postgres:\/\/[^@]*@/, '');
  switch (e.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return new SyncFailure(`cannot reach the server at ${where} (offline, or the server is down); the local data is unchanged and stays usable`);
    case '28P01':
    case '28000':
      return new SyncFailure(`the server at ${where} refused the user name or password`);
    case '3D000':
      return new SyncFailure(`the server at ${where} has no such database`);
    case '42501':
      return new SyncFailure(`the server user may not read the PipeTrak tables (${message}); ask for read access`);
    case '57P01':
    case '57P02':
    case '57P03':
      return new SyncFailure(`the server shut down during the sync; every batch that arrived is kept and the next sync continues from there`);
    case '57014':
      return new SyncFailure('the server took too long to answer and the query was stopped; the next sync continues from the last batch');
    default:
  }
  if (/Connection terminated|ECONNRESET|socket hang up|Client has encountered a connection error/i.test(message)) {
    return new SyncFailure('the connection to the server dropped during the sync; every batch that arrived is kept and the next sync continues from there');
  }
  if (/timeout expired|connection timeout/i.test(message)) {
    return new SyncFailure(`the server at ${where} did not answer in time (offline?); the local data is unchanged and stays usable`);
  }
  return new SyncFailure(`the sync stopped: ${message}`);
}
