import * as core from './0001_core';
import * as designer from './0002_designer';
import * as schedules from './0003_schedules';
import * as builderAudit from './0004_builder_audit';
import * as scheduler from './0005_scheduler';
import * as sync from './0006_sync';
import * as syncStaging from './0007_sync_staging';
import * as syncFirstRead from './0008_sync_first_read';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Forward-only. Never edit a released migration; add the next one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'core', sql: core.sql + core.triggersSql + core.indexesSql },
  { version: 2, name: 'designer', sql: designer.sql },
  { version: 3, name: 'schedules', sql: schedules.sql },
  { version: 4, name: 'builder audit', sql: builderAudit.sql },
  { version: 5, name: 'scheduler', sql: scheduler.sql },
  { version: 6, name: 'sync', sql: sync.sql },
  { version: 7, name: 'sync staging', sql: syncStaging.sql },
  { version: 8, name: 'sync first read', sql: syncFirstRead.sql },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
