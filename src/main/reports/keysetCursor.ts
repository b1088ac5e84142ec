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
 * The WHERE fragments that continue after the cursor under ORDER BY col dir, id dir, with
 * SQLite's NULL ordering (NULLs first ascending, last descending). Each fragment is a plain
 * range on (col, id) so the column's index can seek to it; an OR of ranges would make SQLite
 * scan from the start. The caller runs the fragments in order until the page is full.
 * `col` comes from a whitelist.
 */
export function keysetPhases(col: string, descending: boolean, nullable: boolean, cursor: Cursor | null, params: Record<string, unknown>): string[] {
  if (!cursor) return ['1'];
  params.cursorValue = cursor.value;
  params.cursorId = cursor.id;
  if (!descending) {
    if (cursor.value === null) return [`${col} IS NULL AND c.id > @cursorId`, `${col} IS NOT NULL`];
    return [`${col} >= @cursorValue AND (${col} > @cursorValue OR c.id > @cursorId)`];
  }
  if (cursor.value === null) return [`${col} IS NULL AND c.id < @cursorId`];
  const after = `${col} <= @cursorValue AND (${col} < @cursorValue OR c.id < @cursorId)`;
  return nullable ? [after, `${col} IS NULL`] : [after];
}
