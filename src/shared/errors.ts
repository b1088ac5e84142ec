/**
 * Errors cross process boundaries (IPC, HTTP, CLI) as plain values, because Electron
 * passes only the message of a thrown error. Every failure a user can cause has a code.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'NOT_A_DATABASE',
  'DATABASE_TOO_NEW',
  'READ_ONLY',
  'UNSUPPORTED_FORMAT',
  'CONFLICT',
  'UNAVAILABLE',
  'CANCELLED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'AppError';
  }

  toShape(): ErrorShape {
    return { code: this.code, message: this.message };
  }
}

export function toErrorShape(err: unknown): ErrorShape {
  if (err instanceof AppError) return err.toShape();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}
