import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../bin/sitereport');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}, asUser?: string): CliResult {
  const command = asUser ? 'runuser' : process.execPath;
  const argv = asUser ? ['-u', asUser, '--', process.execPath, CLI, ...args] : [CLI, ...args];
  const r = spawnSync(command, argv, {
    encoding: 'utf8',
    env: { ...process.env, SITEREPORT_NOW: '2026-11-22T12:00:00Z', ...env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
