/**
 * The end of a first sync's staging (migrations 0007 and 0008): the staged components and
 * milestones move into the real tables in one transaction, each milestone's credit and share
 * computed as it is written and each component's figures in one grouped pass after, instead of
 * writing rows batch by batch into random places of the source-id indexes and recomputing every
 * figure at the end.
 *
 * A first sync reads components by id and milestones by (component, id), so the milestones are
 * staged in the order of their components, each with its component's staging row and count.
 * Components take the ids base + staging row, and the milestones go in as staged: no join by
 * source id, no sort, and the (component, name) index only ever grows at its end. The source-id
 * indexes and the components' secondary indexes are built once afterwards from the tables. The
 * outcome equals what the row-by-row upserts give: the first of two components with one tag
 * wins, rows without their parent are skipped with the upserts' reasons. moveStagedRows runs
 * the move in a transaction of its own, with the triggers lifted.
 */
import type { Db } from '../db/connection';
import {
  bumpDataVersion,
  configsOfPairs,
  milestoneEarned,
  milestoneShare,
  rebuildSummaries,
  recomputeComponentFigures,
  recomputeMilestoneFigures,
  withTriggersLifted,
} from '../db/bulkWrites';
import { liftIndexes } from '../db/liftedIndexes';
import { withTempFiles } from '../db/tempFiles';
import { crashPoint } from '../scheduler/crashPoints';
import type { BatchOutcome } from './applyRows';

export interface MergeOutcome {
  Component: BatchOutcome;
  ComponentMilestone: BatchOutcome;
}

/** Whether a first sync is under way (perhaps interrupted): rows wait in the staging tables, or a first read has begun. */
export function firstSyncUnderWay(db: Db): boolean {
  return db.prepare(`SELECT EXISTS (SELECT 1 FROM sync_stage_components) OR EXISTS (SELECT 1 FROM sync_stage_milestones)
                       OR EXISTS (SELECT 1 FROM sync_state WHERE first_key IS NOT NULL)`).pluck().get() === 1;
}

/**
 * The staging row of each staged component, for milestones that arrive in the components' order:
 * each names the component of the one before or one a few rows further on, so a walk along the
 * list finds it with a comparison or two; a map of every source id is built only if one is not
 * found that way.
 */
export class StagedComponentOrder {
  private readonly ids: string[] = [];
  private readonly seqs: number[] = [];
  private at = 0;
  private bySource: Map<string, number> | null = null;

  constructor(db: Db) {
    for (const r of db.prepare('SELECT seq, source_id FROM sync_stage_components ORDER BY seq').raw().iterate() as Iterable<[number, string]>) {
      this.seqs.push(r[0]);
      this.ids.push(r[1]);
    }
  }

  /** The staging row of the component with this source id, or null when none was staged. */
  seqOf(source: string): number | null {
    const end = Math.min(this.ids.length, this.at + 64);
    for (let i = this.at; i < end; i++) {
      if (this.ids[i] === source) {
        this.at = i;
        return this.seqs[i] as number;
      }
    }
    if (this.bySource === null) this.bySource = new Map(this.ids.map((id, i) => [id, i]));
    const i = this.bySource.get(source);
    if (i === undefined) return null;
    this.at = i;
    return this.seqs[i] as number;
  }
}

const COMPONENT_COLUMNS = [
  'project_id', 'tag', 'display_id', 'type', 'spec', 'size', 'material', 'area', 'system', 'test_package', 'status',
  'completion_percent', 'workflow_type', 'test_required', 'test_pressure', 'installation_date', 'created_at', 'updated_at', 'source_id',
] as const;
const MILESTONE_COLUMNS = ['name', 'milestone_order', 'is_completed', 'completed_at', 'completed_by', 'percentage_value', 'quantity_value', 'updated_at', 'source_id'] as const;

export type StagedTable = keyof MergeOutcome;
export const isStagedTable = (name: string): name is StagedTable => name === 'Component' || name === 'ComponentMilestone';

/**
 * Each staging table: the columns it shares with its real table (the upsert's parameters of the
 * same names), and its parent's source id with the upsert parameter that carries it (looked up
 * only at the move).
 */
export const STAGING: Record<StagedTable, { table: string; copied: readonly string[]; parent: readonly [column: string, param: string] }> = {
  Component: { table: 'sync_stage_components', copied: COMPONENT_COLUMNS, parent: ['drawing_source', 'drawing_id'] },
  ComponentMilestone: { table: 'sync_stage_milestones', copied: MILESTONE_COLUMNS, parent: ['component_source', 'component_id'] },
};

/**
 * The move, in its own transaction with the triggers lifted. Its sorts (five million milestones
 * at a time) spill to files rather than memory, and they and its index builds take a helper
 * thread: the server is idle meanwhile, and so is the second core (the move at 1M: 56.8 → 53.3 s,
 * medians of three). A page cache of 1 GB for the move alone holds more of the five million
 * milestones and their indexes while they are written and built (34.9 → 32.1 s; the process's
 * peak 0.86 → 1.41 GB). Foreign keys are off for it: its joins admit only rows whose parents
 * exist (a component's project, a milestone's component), so checking each of six million
 * parents again only cost time (33.7 → 31.6 s, two alternating pairs).
 */
export function moveStagedRows(db: Db, at: string): MergeOutcome {
  const threads = Number(db.pragma('threads', { simple: true }));
  const cacheSize = Number(db.pragma('cache_size', { simple: true }));
  const foreignKeys = Number(db.pragma('foreign_keys', { simple: true }));
  db.pragma('threads = 2');
  db.pragma('cache_size = -1048576');
  db.pragma('foreign_keys = OFF');
  try {
    return withTempFiles(db, () =>
      db.transaction(() => {
        const outcome = withTriggersLifted(db, () => mergeStaged(db, at));
        crashPoint('sync-mid-move');
        return outcome;
      }).immediate(),
    );
  } finally {
    db.pragma(`threads = ${threads}`);
    db.pragma(`cache_size = ${cacheSize}`);
    db.pragma(`foreign_keys = ${foreignKeys}`);
  }
}

/** Moves the staged rows (see the module's comment); inside a transaction with the triggers lifted. */
function mergeStaged(db: Db, at: string): MergeOutcome {
  const stagedComponents = db.prepare('SELECT count(*) FROM sync_stage_components').pluck().get() as number;
  const stagedMilestones = db.prepare('SELECT count(*) FROM sync_stage_milestones').pluck().get() as number;
  // Component ids follow the staging rows, so a milestone finds its component by rowid.
  const base = db.prepare('SELECT coalesce(max(id), 0) FROM components').pluck().get() as number;

  // Components, in staging order so that of two with one tag the first stays (the upserts'
  // rule: the second failed its unique constraint). Their configuration resolved per
  // (project, type) pair, their figures left for after the milestones.
  const restoreComponentIndexes = liftIndexes(db, 'components');
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS stage_configs (project_id INTEGER, type TEXT, config_id INTEGER, PRIMARY KEY (project_id, type));
           DELETE FROM temp.stage_configs;
           INSERT INTO temp.stage_configs ${configsOfPairs('SELECT DISTINCT project_id, type FROM sync_stage_components')}`);
  const components = db
    .prepare(
      `INSERT OR IGNORE INTO components (id, ${COMPONENT_COLUMNS.join(', ')}, drawing_id, roc_config_id)
       SELECT ? + s.seq, ${COMPONENT_COLUMNS.map((c) => `s.${c}`).join(', ')}, d.id, k.config_id
       FROM sync_stage_components s JOIN projects p ON p.id = s.project_id
       LEFT JOIN drawings d ON d.source_id = s.drawing_source
       LEFT JOIN temp.stage_configs k ON k.project_id = s.project_id AND k.type = s.type
       ORDER BY s.seq`,
    )
    .run(base).changes;

  // Milestones, as staged: grouped by component, each with its component's count (for its share).
  // Its component is the one at base + its staging row, if that holds the source id it names.
  const restoreMilestoneIndexes = liftIndexes(db, 'component_milestones', ['idx_milestones_component_name']);
  const milestones = db
    .prepare(
      `INSERT OR IGNORE INTO component_milestones (component_id, ${MILESTONE_COLUMNS.join(', ')}, project_id, earned_micro, share_micro)
       SELECT c.id, ${MILESTONE_COLUMNS.map((col) => `m.${col}`).join(', ')}, c.project_id,
         ${milestoneEarned('m')}, ${milestoneShare('m', 'm.siblings')}
       FROM sync_stage_milestones m JOIN components c ON c.id = ? + m.component_seq AND c.source_id = m.component_source
       LEFT JOIN roc_weights w ON w.config_id = coalesce(c.roc_config_id, 0) AND w.milestone_name = m.name
       ORDER BY m.seq`,
    )
    .run(base).changes;
  restoreMilestoneIndexes();

  const outcome: MergeOutcome = {
    Component: { changed: components, skipped: [] },
    ComponentMilestone: { changed: milestones, skipped: [] },
  };
  if (components < stagedComponents) {
    outcome.Component.skipped = db
      .prepare(
        `SELECT s.source_id AS id, CASE WHEN p.id IS NULL THEN 'its project is not in SiteReport'
                ELSE 'another component of the project has the same tag' END AS reason
         FROM sync_stage_components s LEFT JOIN projects p ON p.id = s.project_id
         WHERE NOT EXISTS (SELECT 1 FROM components c WHERE c.id = ? + s.seq)`,
      )
      .all(base) as BatchOutcome['skipped'];
  }
  let twins = false;
  if (milestones < stagedMilestones) {
    outcome.ComponentMilestone.skipped = db
      .prepare(
        `SELECT m.source_id AS id, CASE WHEN NOT EXISTS (SELECT 1 FROM components c WHERE c.id = ? + m.component_seq AND c.source_id = m.component_source)
                THEN 'its component is not in SiteReport' ELSE 'the component already has a milestone of this name' END AS reason
         FROM sync_stage_milestones m
         WHERE NOT EXISTS (SELECT 1 FROM component_milestones x WHERE x.source_id = m.source_id)`,
      )
      .all(base) as BatchOutcome['skipped'];
    twins = outcome.ComponentMilestone.skipped.some((s) => s.reason.startsWith('the component already'));
  }
  // Every milestone's credit was computed as it went in, under its component's configuration.
  recomputeComponentFigures(db, { kind: 'project', projectId: null }, 'stored');
  // A milestone left out as a second of its name was counted in its component's shares; they
  // are computed again from the counts just written.
  if (twins) recomputeMilestoneFigures(db, { kind: 'project', projectId: null });
  restoreComponentIndexes();
  rebuildSummaries(db, null);
  bumpDataVersion(db, null);

  const skipped = db.prepare('INSERT INTO sync_skipped (table_name, source_id, reason, at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET reason = excluded.reason, at = excluded.at');
  for (const table of ['Component', 'ComponentMilestone'] as const) for (const s of outcome[table].skipped) skipped.run(table, s.id, s.reason, at);
  db.exec('DELETE FROM sync_stage_components; DELETE FROM sync_stage_milestones; UPDATE sync_state SET first_key = NULL WHERE first_key IS NOT NULL');
  return outcome;
}
