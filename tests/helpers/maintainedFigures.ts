import type { Db } from '../../src/main/db/connection';
import { refreshMaintainedFigures, withTriggersLifted } from '../../src/main/db/bulkWrites';

/** The trigger- and delta-maintained figures, as they are and as a full recomputation gives them. */
export function maintainedFigures(db: Db): { kept: unknown; recomputed: unknown } {
  const read = () => ({
    rollups: db.prepare('SELECT * FROM progress_rollups WHERE total <> 0 ORDER BY 1, 2, 3').all(),
    daily: db.prepare('SELECT * FROM progress_daily WHERE milestone_completions <> 0 OR earned_micro <> 0 OR share_micro <> 0 OR components_completed <> 0 ORDER BY 1, 2, 3, 4').all(),
    cube: db.prepare('SELECT * FROM component_cube WHERE total <> 0 ORDER BY 1, 2, 3, 4, 5, 6').all(),
    components: db.prepare('SELECT id, roc_config_id, roc_micro, completed_at, milestones_total, milestones_completed FROM components ORDER BY id').all(),
    milestones: db.prepare('SELECT id, project_id, earned_micro, share_micro FROM component_milestones ORDER BY id').all(),
  });
  const kept = read();
  let recomputed: unknown;
  try {
    db.transaction(() => {
      withTriggersLifted(db, () => refreshMaintainedFigures(db, { kind: 'all' }));
      recomputed = read();
      throw new Error('roll back');
    })();
  } catch (err) {
    if ((err as Error).message !== 'roll back') throw err;
  }
  return { kept, recomputed };
}
