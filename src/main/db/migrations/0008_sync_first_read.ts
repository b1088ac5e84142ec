/**
 * A first sync reads components by id and milestones by (component, id), so that a component's
 * milestones arrive together, right after one another, and in the order of the staged
 * components (SPEC §9). Each staged milestone then carries its component's staging row
 * (`component_seq`) and how many staged milestones that component has (`siblings`), and the
 * move needs neither a join by source id nor a sort. `first_key`: the key of the last row a
 * table's first read has staged (NULL once moved); `cursor_at`/`cursor_id` meanwhile already hold what
 * the later syncs start from (the first read's snapshot, less the overlap).
 *
 * A first sync staged by an earlier build read by (updatedAt, id) and staged neither column: its
 * components and milestones are read again from the start.
 */
export const sql = /* sql */ `
ALTER TABLE sync_stage_milestones ADD COLUMN component_seq INTEGER;
ALTER TABLE sync_stage_milestones ADD COLUMN siblings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN first_key TEXT;
DELETE FROM sync_state WHERE table_name IN ('Component', 'ComponentMilestone')
  AND (EXISTS (SELECT 1 FROM sync_stage_components) OR EXISTS (SELECT 1 FROM sync_stage_milestones));
DELETE FROM sync_stage_components;
DELETE FROM sync_stage_milestones;
`;
