import type { Db } from '../../src/main/db/connection';
import { withTriggersLifted } from '../../src/main/db/bulkWrites';

/**
 * The reference: every figure recomputed from the formulas as the views of migration 0001 state
 * them (one correlated subquery per figure), and the daily events grouped straight from the
 * rows — independent of the set-based statements the bulk paths use.
 */
function recomputeFromViews(db: Db): void {
  db.exec(`
    UPDATE components SET roc_config_id = (SELECT config_id FROM component_roc_resolution WHERE component_id = components.id);
    UPDATE components SET
      roc_micro = (SELECT roc_micro FROM component_roc_calc WHERE component_id = components.id),
      completed_at = (SELECT completed_at FROM component_roc_calc WHERE component_id = components.id),
      last_activity_at = (SELECT last_activity_at FROM component_roc_calc WHERE component_id = components.id),
      milestones_total = (SELECT milestones_total FROM component_roc_calc WHERE component_id = components.id),
      milestones_completed = (SELECT milestones_completed FROM component_roc_calc WHERE component_id = components.id);
    UPDATE component_milestones SET
      project_id = (SELECT project_id FROM milestone_earned_calc WHERE milestone_id = component_milestones.id),
      earned_micro = (SELECT earned_micro FROM milestone_earned_calc WHERE milestone_id = component_milestones.id),
      share_micro = (SELECT share_micro FROM milestone_earned_calc WHERE milestone_id = component_milestones.id);
  `);
  // Rollups grouped straight from the components, one dimension at a time.
  db.exec('DELETE FROM progress_rollups');
  for (const dimension of ['area', 'system', 'test_package']) {
    db.exec(`INSERT INTO progress_rollups (project_id, dimension, key, total, completed, completion_micro_sum, roc_micro_sum)
      SELECT project_id, '${dimension}', coalesce(${dimension}, 'Unassigned'), count(*), sum(status = 'COMPLETED'),
             sum(CAST(round(completion_percent * 1000000.0) AS INTEGER)), sum(roc_micro)
      FROM components GROUP BY project_id, coalesce(${dimension}, 'Unassigned')`);
  }
  // The cube grouped straight from the components, not from the rollups' groups.
  db.exec(`DELETE FROM component_cube;
    INSERT INTO component_cube
    SELECT project_id, coalesce(area, 'Unassigned'), coalesce(system, 'Unassigned'), type, status, workflow_type,
           count(*), sum(status = 'COMPLETED'), sum(CAST(round(completion_percent * 1000000.0) AS INTEGER)), sum(roc_micro),
           sum(test_required), coalesce(sum(test_pressure), 0), count(test_pressure)
    FROM components GROUP BY 1, 2, 3, 4, 5, 6`);
  const key = "CASE d.dimension WHEN 'area' THEN coalesce(c.area, 'Unassigned') WHEN 'system' THEN coalesce(c.system, 'Unassigned') ELSE coalesce(c.test_package, 'Unassigned') END";
  const upsert = `ON CONFLICT (project_id, dimension, key, day) DO UPDATE SET milestone_completions = milestone_completions + excluded.milestone_completions,
    earned_micro = earned_micro + excluded.earned_micro, share_micro = share_micro + excluded.share_micro, components_completed = components_completed + excluded.components_completed`;
  db.exec(`
    DELETE FROM progress_daily;
    INSERT INTO progress_daily (project_id, dimension, key, day, milestone_completions, earned_micro, share_micro, components_completed)
    SELECT c.project_id, d.dimension, ${key} AS k, substr(CASE WHEN m.is_completed = 1 THEN coalesce(m.completed_at, m.updated_at) ELSE m.updated_at END, 1, 10) AS day,
           sum(m.is_completed), sum(m.earned_micro), sum(m.share_micro), 0
    FROM component_milestones m JOIN components c ON c.id = m.component_id JOIN dimensions d
    WHERE m.is_completed = 1 OR m.earned_micro <> 0 OR m.share_micro <> 0
    GROUP BY c.project_id, d.dimension, k, day ${upsert};
    INSERT INTO progress_daily (project_id, dimension, key, day, milestone_completions, earned_micro, share_micro, components_completed)
    SELECT c.project_id, d.dimension, ${key} AS k, substr(c.updated_at, 1, 10) AS day, 0, sum(c.roc_micro), sum(CAST(round(c.completion_percent * 1000000.0) AS INTEGER)), 0
    FROM components c JOIN dimensions d WHERE c.workflow_type = 'MILESTONE_QUANTITY'
    GROUP BY c.project_id, d.dimension, k, day ${upsert};
    INSERT INTO progress_daily (project_id, dimension, key, day, milestone_completions, earned_micro, share_micro, components_completed)
    SELECT c.project_id, d.dimension, ${key} AS k, substr(coalesce(c.completed_at, c.updated_at), 1, 10) AS day, 0, 0, 0, count(*)
    FROM components c JOIN dimensions d WHERE c.status = 'COMPLETED'
    GROUP BY c.project_id, d.dimension, k, day ${upsert};
  `);
}

/** The trigger- and delta-maintained figures, as they are and as the reference recomputation gives them. */
export function maintainedFigures(db: Db): { kept: unknown; recomputed: unknown } {
  const read = () => ({
    rollups: db.prepare('SELECT * FROM progress_rollups WHERE total <> 0 ORDER BY 1, 2, 3').all(),
    daily: db.prepare('SELECT * FROM progress_daily WHERE milestone_completions <> 0 OR earned_micro <> 0 OR share_micro <> 0 OR components_completed <> 0 ORDER BY 1, 2, 3, 4').all(),
    cube: db.prepare('SELECT * FROM component_cube WHERE total <> 0 ORDER BY 1, 2, 3, 4, 5, 6').all(),
    components: db.prepare('SELECT id, roc_config_id, roc_micro, completed_at, last_activity_at, milestones_total, milestones_completed FROM components ORDER BY id').all(),
    milestones: db.prepare('SELECT id, project_id, earned_micro, share_micro FROM component_milestones ORDER BY id').all(),
  });
  const kept = read();
  let recomputed: unknown;
  try {
    db.transaction(() => {
      withTriggersLifted(db, () => recomputeFromViews(db));
      recomputed = read();
      throw new Error('roll back');
    })();
  } catch (err) {
    if ((err as Error).message !== 'roll back') throw err;
  }
  return { kept, recomputed };
}
