/** Whether a build output made from source folders is older than any file in them (checkouts
    build the renderer and the CSV reader bundle on first use, and again after an edit). */
import fs from 'node:fs';
import path from 'node:path';

function newestMtime(dir: string): number {
  if (fs.statSync(dir).isFile()) return fs.statSync(dir).mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

export function isBuildFresh(output: string, sources: string[]): boolean {
  return fs.existsSync(output) && sources.every((s) => newestMtime(s) <= fs.statSync(output).mtimeMs);
}
