import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where SiteReport keeps its database when none is named: the OS's per-user data folder. */
export function defaultDataDirectory(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'SiteReport');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'SiteReport');
  return path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'sitereport');
}

export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.SITEREPORT_DB && env.SITEREPORT_DB.length > 0
    ? path.resolve(env.SITEREPORT_DB)
    : path.join(defaultDataDirectory(env), 'sitereport.db');
}

/** Where exports land unless the user picks another folder: $SITEREPORT_EXPORTS, else
    ~/Documents/SiteReport exports (the home folder when there is no Documents folder). */
export function defaultExportDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SITEREPORT_EXPORTS && env.SITEREPORT_EXPORTS.length > 0) return path.resolve(env.SITEREPORT_EXPORTS);
  const documents = path.join(os.homedir(), 'Documents');
  return path.join(fs.existsSync(documents) ? documents : os.homedir(), 'SiteReport exports');
}
