/**
 * Opaque keyset cursors: base64url JSON of the sort key and id of the last row served.
 * A cursor is bound to the sort it was made for; a mismatch is a clear input error.
 */
import { AppError } from '../../shared/errors';

export interface Cursor {
  sort: string;
  value: string | number | null;
  id: number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.value, c.id]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string, expectedSort: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('INVALID_INPUT', 'cursor is not valid; start again without --cursor');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    !(parsed[1] === null || typeof parsed[1] === 'string' || typeof parsed[1] === 'number') ||
    !Number.isSafeInteger(parsed[2])
  ) {
    throw new AppError('INVALID_INPUT', 'cursor is not valid; start again without --cursor');
  }
  if (parsed[0] !== expectedSort) {
    throw new AppError('INVALID_INPUT', `cursor was made for sort "${parsed[0]}", not "${expectedSort}"`);
  }
  return { sort: parsed[0], value: parsed[1] as string | number | null, id: parsed[2] as number };
}

/**
 * WHERE fragment for "after the cursor" under ORDER BY col dir, id dir, with SQLite's NULL
 * ordering (NULLs first ascending, last descending). `col` comes from a whitelist.
 */
export function keysetCondition(col: string, descending: boolean, cursor: Cursor, params: Record<string, unknown>): string {
  params.cursorValue = cursor.value;
  params.cursorId = cursor.id;
  if (!descending) {
    if (cursor.value === null) return `((${col} IS NULL AND c.id > @cursorId) OR ${col} IS NOT NULL)`;
    return `(${col} > @cursorValue OR (${col} = @cursorValue AND c.id > @cursorId))`;
  }
  if (cursor.value === null) return `(${col} IS NULL AND c.id < @cursorId)`;
  return `(${col} < @cursorValue OR (${col} = @cursorValue AND c.id < @cursorId) OR ${col} IS NULL)`;
}
