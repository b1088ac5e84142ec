/**
 * The typed query tree between a report definition and SQL: nothing in it is SQL text, every
 * identifier is a catalog column and every value a literal the emitter binds. One emitter per
 * dialect turns it into a statement (sqliteEmitter.ts).
 */
export type Expr =
  | { kind: 'column'; table: string; column: string }
  | { kind: 'literal'; value: string | number | null }
  | { kind: 'call'; fn: 'coalesce' | 'count' | 'sum' | 'avg' | 'min' | 'max' | 'countDistinct' | 'countAll'; args: Expr[] }
  | { kind: 'binary'; op: '=' | '<>' | '<' | '<=' | '>' | '>=' | '/' | '*'; left: Expr; right: Expr }
  | { kind: 'and'; terms: Expr[] }
  | { kind: 'isNull'; expr: Expr; negated: boolean }
  | { kind: 'in'; expr: Expr; values: Expr[]; negated: boolean }
  | { kind: 'contains'; expr: Expr; needle: string }
  | { kind: 'roundMicro'; expr: Expr }
  /** An ISO instant as the local calendar date, given the offsets in force over time. */
  | { kind: 'localDate'; expr: Expr; spans: ReadonlyArray<{ fromIso: string | null; offsetMinutes: number }> }
  /** A YYYY-MM-DD date as the key of its day, ISO week (Monday), month or quarter. */
  | { kind: 'dateBucket'; expr: Expr; bucket: 'day' | 'week' | 'month' | 'quarter' }
  | { kind: 'isTrue'; expr: Expr }
  /** A select item by its alias (GROUP BY / ORDER BY). */
  | { kind: 'ref'; alias: string };

export interface Join {
  table: string;
  alias: string;
  on: Expr;
}

export interface SelectItem {
  alias: string;
  expr: Expr;
}

export interface QueryTree {
  from: { table: string; alias: string };
  joins: Join[];
  select: SelectItem[];
  where: Expr[];
  groupBy: Expr[];
  orderBy: Array<{ expr: Expr; descending: boolean }>;
  limit: number | null;
}

export const col = (table: string, column: string): Expr => ({ kind: 'column', table, column });
export const lit = (value: string | number | null): Expr => ({ kind: 'literal', value });
