/** The builder's step changes (SPEC §6), one row per change in builder_audit. */
import type { z } from 'zod';
import type { INPUT_SCHEMAS } from '../../shared/contract';
import type { Db } from '../db/connection';

export type BuilderAuditInput = z.output<(typeof INPUT_SCHEMAS)['builder/audit']>;

export function recordBuilderStep(db: Db, at: Date, input: BuilderAuditInput): number {
  return Number(
    db
      .prepare('INSERT INTO builder_audit (at, step, action, report_name, definition_id) VALUES (?, ?, ?, ?, ?)')
      .run(at.toISOString(), input.step, input.action, input.reportName ?? null, input.definitionId ?? null).lastInsertRowid,
  );
}
