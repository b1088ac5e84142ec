/**
 * SQLite emitter: query tree -> SQL text with numbered named parameters (@p1, @p2, …, so an
 * expression used twice reuses its parameters). Identifiers are quoted and come only from the
 * tree (catalog columns); every literal becomes a bound parameter.
 */
import type { Expr, QueryTree } from './queryTree';

export interface CompiledSql {
  sql: string;
  params: Array<string | number | null>;
}

/** The parameters as better-sqlite3 binds named parameters. */
export function bindings(c: CompiledSql): Record<string, string | number | null> {
  return Object.fromEntries(c.params.map((v, i) => [`p${i + 1}`, v]));
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`identifier "${name}" is not allowed`);
  return `"${name}"`;
}

export function emitSqlite(tree: QueryTree): CompiledSql {
  const params: Array<string | number | null> = [];
  const bind = (v: string | number | null) => {
    params.push(v);
    return `@p${params.length}`;
  };
  const e = (x: Expr): string => {
    switch (x.kind) {
      case 'column':
        return `${ident(x.table)}.${ident(x.column)}`;
      case 'literal':
        return bind(x.value);
      case 'call':
        if (x.fn === 'countAll') return 'count(*)';
        if (x.fn === 'countDistinct') return `count(DISTINCT ${e(x.args[0] as Expr)})`;
        return `${x.fn}(${x.args.map(e).join(', ')})`;
      case 'binary':
        return `(${e(x.left)} ${x.op} ${e(x.right)})`;
      case 'and':
        return x.terms.length === 0 ? '1' : `(${x.terms.map(e).join(' AND ')})`;
      case 'isNull':
        return `(${e(x.expr)} IS ${x.negated ? 'NOT ' : ''}NULL)`;
      case 'in':
        return `(${e(x.expr)} ${x.negated ? 'NOT IN' : 'IN'} (${x.values.map(e).join(', ')}))`;
      case 'contains': {
        const pattern = `%${x.needle.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
        return `(${e(x.expr)} LIKE ${bind(pattern)} ESCAPE '\\')`;
      }
      case 'roundMicro':
        return `CAST(round(${e(x.expr)} * 1000000.0) AS INTEGER)`;
      case 'ref':
        return ident(x.alias);
      case 'isTrue':
        return `(${e(x.expr)} = 1)`;
      case 'localDate': {
        const inner = e(x.expr);
        if (x.spans.length === 1) return `date(${inner}, ${bind(`${(x.spans[0] as { offsetMinutes: number }).offsetMinutes} minutes`)})`;
        const whens = x.spans
          .slice(1)
          .map((s, i) => `WHEN ${inner} < ${bind(s.fromIso)} THEN ${bind(`${(x.spans[i] as { offsetMinutes: number }).offsetMinutes} minutes`)}`);
        const last = x.spans[x.spans.length - 1] as { offsetMinutes: number };
        return `date(${inner}, CASE ${whens.join(' ')} ELSE ${bind(`${last.offsetMinutes} minutes`)} END)`;
      }
      case 'dateBucket': {
        const d = e(x.expr);
        switch (x.bucket) {
          case 'day':
            return d;
          case 'week':
            return `date(${d}, '-6 days', 'weekday 1')`;
          case 'month':
            return `substr(${d}, 1, 7)`;
          case 'quarter':
            return `(substr(${d}, 1, 4) || '-Q' || ((CAST(substr(${d}, 6, 2) AS INTEGER) + 2) / 3))`;
        }
      }
    }
  };
  const parts = [`SELECT ${tree.select.map((s) => `${e(s.expr)} AS ${ident(s.alias)}`).join(', ')}`];
  parts.push(`FROM ${ident(tree.from.table)} AS ${ident(tree.from.alias)}`);
  for (const j of tree.joins) parts.push(`LEFT JOIN ${ident(j.table)} AS ${ident(j.alias)} ON ${e(j.on)}`);
  if (tree.where.length > 0) parts.push(`WHERE ${tree.where.map(e).join(' AND ')}`);
  if (tree.groupBy.length > 0) parts.push(`GROUP BY ${tree.groupBy.map(e).join(', ')}`);
  if (tree.orderBy.length > 0) parts.push(`ORDER BY ${tree.orderBy.map((o) => `${e(o.expr)}${o.descending ? ' DESC' : ''}`).join(', ')}`);
  if (tree.limit !== null) parts.push(`LIMIT ${bind(tree.limit)}`);
  return { sql: parts.join('\n'), params };
}
