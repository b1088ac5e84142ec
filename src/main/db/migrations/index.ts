import * as core from './0001_core';
import * as designer from './0002_designer';
import * as schedules from './0003_schedules';

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
];

export const SCHEMA_VERSION = MIGRATIONS.length;
