/**
 * Values for a filter picker. On an indexed column the distinct values are walked with one
 * index seek each (a loose index scan), so 1,000 values among 1M rows take milliseconds; other
 * fields fall back to GROUP BY.
 */
import { AppError } from '../../shared/errors';
import type { Db } from '../db/connection';
import { findField, type Dataset } from '../../shared/domain/fieldCatalog';
import { DATASET_SQL } from './catalogSql';
import { bindings, emitSqlite } from './sqliteEmitter';
import { lit, type QueryTree } from './queryTree';

/** Component columns with an index (project_id, column): see migration 0001. */
const INDEXED_COMPONENT_COLUMNS: Record<string, { column: string; nullLabel: string | null }> = {
  area: { column: 'area', nullLabel: 'Unassigned' },
  system: { column: 'system', nullLabel: 'Unassigned' },
  testPackage: { column: 'test_package', nullLabel: 'Unassigned' },
  type: { column: 'type', nullLabel: null },
  status: { column: 'status', nullLabel: null },
};

export interface DistinctValues {
  values: Array<string | number>;
  truncated: boolean;
}

export function distinctValues(db: Db, dataset: Dataset, field: string, projectId: number, limit = 1000): DistinctValues {
  const info = findField(dataset, field);
  const fieldSql = DATASET_SQL[dataset].fields[field];
  if (!info || !fieldSql) throw new AppError('INVALID_INPUT', `"${field}" is not a field of the ${dataset} dataset`);
  const indexed = dataset === 'components' ? INDEXED_COMPONENT_COLUMNS[field] : undefined;
  if (indexed) {
    const c = `"${indexed.column}"`;
    const rows = db
      .prepare(
        `WITH RECURSIVE walk(v) AS (
           SELECT min(${c}) FROM components WHERE project_id = @projectId
           UNION ALL
           SELECT (SELECT min(${c}) FROM components WHERE project_id = @projectId AND ${c} > walk.v) FROM walk WHERE walk.v IS NOT NULL
         )
         SELECT v FROM walk WHERE v IS NOT NULL LIMIT @limit`,
      )
      .raw()
      .all({ projectId, limit: limit + 1 }) as Array<[string]>;
    const values: Array<string | number> = rows.map((r) => r[0]);
    if (indexed.nullLabel && db.prepare(`SELECT 1 FROM components WHERE project_id = ? AND ${c} IS NULL LIMIT 1`).get(projectId)) {
      if (!values.includes(indexed.nullLabel)) values.push(indexed.nullLabel);
      values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
    return { values: values.slice(0, limit), truncated: values.length > limit };
  }
  if (info.type === 'date' || info.type === 'datetime') {
    throw new AppError('INVALID_INPUT', `"${field}" is a date; filter it with a range instead of picking values`);
  }
  const ds = DATASET_SQL[dataset];
  const tree: QueryTree = {
    from: { table: ds.table, alias: ds.alias },
    joins: fieldSql.joins.map((j) => ds.joins[j]).filter((j): j is NonNullable<typeof j> => j !== undefined),
    select: [{ alias: 'v', expr: fieldSql.expr }],
    where: [{ kind: 'binary', op: '=', left: ds.projectColumn, right: lit(projectId) }, { kind: 'isNull', expr: fieldSql.expr, negated: true }],
    groupBy: [{ kind: 'ref', alias: 'v' }],
    orderBy: [{ expr: { kind: 'ref', alias: 'v' }, descending: false }],
    limit: limit + 1,
  };
  const compiled = emitSqlite(tree);
  const values = (db.prepare(compiled.sql).raw().all(bindings(compiled)) as Array<[string | number]>).map((r) => r[0]);
  return { values: values.slice(0, limit), truncated: values.length > limit };
}
