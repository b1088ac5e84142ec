/** The channel names alone, for the preload bundle (which must stay tiny and dependency-free). */
export const CHANNELS = [
  'app/info',
  'projects/list',
  'reports/list',
  'reports/run',
  'reports/runDefinition',
  'catalog/fields',
  'catalog/distinct',
  'library/list',
  'library/get',
  'library/save',
  'library/duplicate',
  'library/rename',
  'library/tags',
  'library/delete',
  'library/restore',
  'runs/list',
  'exports/start',
  'exports/list',
  'exports/cancel',
  'exports/folders',
  'exports/chooseFolder',
  'app/dataVersion',
  'builder/audit',
  'files/open',
  'dashboard/get',
  'components/grid',
  'schedules/list',
  'schedules/save',
  'schedules/setEnabled',
  'schedules/delete',
  'schedules/preview',
] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}
