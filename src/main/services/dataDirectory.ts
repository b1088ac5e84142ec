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
