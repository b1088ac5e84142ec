/**
 * Rows for the app's component grid, which asks for any block of rows as the user scrolls or
 * jumps: a block continues from the previous block's keyset position when the grid has it (the
 * common case while scrolling), and seeks by offset on the sort column's index otherwise.
 */
import type { ComponentGridInput, ComponentGridJson } from '../../shared/contract';
import type { Db } from '../db/connection';
import { findProject } from '../db/projectRepository';
import { compileFilters, componentKeysetPhases, componentOrderBy, componentSortColumn, type ComponentDetailsParams } from '../reports/componentDetails';
import { meanPercent } from '../reports/rocMath';
import { encodeCursor, decodeCursor } from '../reports/keysetCursor';
import type { GridPositions } from './gridPositions';

const COLUMNS = `c.id, c.tag, c.display_id, c.type, c.area, c.system, c.test_package, c.status, c.completion_percent,
  c.roc_micro, c.workflow_type, d.number, d.title, c.milestones_completed, c.milestones_total, c.last_activity_at`;

export function componentGrid(db: Db, input: ComponentGridInput, positions?: GridPositions): ComponentGridJson {
  const project = findProject(db, input.projectCode);
  const params: ComponentDetailsParams = { filters: input.filters, search: input.search, sort: input.sort, descending: input.descending };
  const { sort, col } = componentSortColumn(params);
  const { where, params: bind } = compileFilters(project.id, params);
  const order = componentOrderBy(sort, params.descending);
  let raw: unknown[][] = [];
  // A jump deep into the list: find the row before the block on the sort column's index alone
  // (no table rows, no drawing lookups for the rows skipped; from the nearest position mark when
  // the caller keeps them), then continue by keyset from it.
  let after = input.after ? decodeCursor(input.after, sort) : null;
  if (!after && input.offset > 0) {
    const anchor = positions
      ? positions.keyAt({ db, projectId: project.id, params }, input.offset - 1)
      : (db.prepare(`SELECT ${col} AS value, c.id AS id FROM components c WHERE ${where} ORDER BY ${order} LIMIT 1 OFFSET @skip`).get({ ...bind, skip: input.offset - 1 }) as { value: string | number | null; id: number } | undefined);
    if (!anchor) return { rows: [], total: input.withTotal ? (db.prepare(`SELECT count(*) AS n FROM components c WHERE ${where}`).get(bind) as { n: number }).n : null, next: null };
    after = { sort, value: anchor.value, id: anchor.id };
  }
  if (after) {
    const phases = componentKeysetPhases(params, after, bind);
    for (const phase of phases) {
      if (raw.length >= input.limit) break;
      raw = raw.concat(
        db.prepare(`SELECT ${COLUMNS}, ${col} AS k FROM components c LEFT JOIN drawings d ON d.id = c.drawing_id WHERE ${where} AND ${phase} ORDER BY ${order} LIMIT @limit`).raw().all({ ...bind, limit: input.limit - raw.length }) as unknown[][],
      );
    }
  } else {
    raw = db
      .prepare(`SELECT ${COLUMNS}, ${col} AS k FROM components c LEFT JOIN drawings d ON d.id = c.drawing_id WHERE ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
      .raw()
      .all({ ...bind, limit: input.limit, offset: input.offset }) as unknown[][];
  }
  const total = input.withTotal ? (db.prepare(`SELECT count(*) AS n FROM components c WHERE ${where}`).get(bind) as { n: number }).n : null;
  const last = raw[raw.length - 1];
  return {
    rows: raw.map((r) => ({
      id: r[0] as number,
      tag: r[1] as string,
      displayId: r[2] as string | null,
      type: r[3] as string,
      area: r[4] as string | null,
      system: r[5] as string | null,
      testPackage: r[6] as string | null,
      status: r[7] as string,
      completionPercent: r[8] as number,
      rocWeightedPercent: meanPercent(r[9] as number, 1),
      workflowType: r[10] as string,
      drawingNumber: r[11] as string | null,
      drawingTitle: r[12] as string | null,
      milestonesCompleted: r[13] as number,
      milestonesTotal: r[14] as number,
      lastActivity: r[15] as string | null,
    })),
    total,
    next: last ? encodeCursor({ sort, value: last[16] as string | number | null, id: last[0] as number }) : null,
  };
}
