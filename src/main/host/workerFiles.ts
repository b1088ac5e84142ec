/**
 * Where the programs started by path live: the component-CSV export process, its reader
 * threads, the backfill workers and the background checkpoint. A build has them next to the
 * main bundle; running from source (the CLI through tsx, tests) they are bundled once with
 * esbuild into out/workers, because a process that compiled its TypeScript on start took half
 * a second and twice the memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBuildFresh } from './sourceFreshness';
import { IS_CLI_BUNDLE, REPO_ROOT } from './sourceRoot';

/** Entry name -> its source, relative to src/main. */
const ENTRIES = {
  componentCsvProcess: 'export/componentCsvProcess.ts',
  componentCsvWorker: 'export/componentCsvWorker.ts',
  backfillWorker: 'scheduler/backfillWorker.ts',
  checkpointWorker: 'db/checkpointWorker.ts',
} as const;

export type WorkerEntry = keyof typeof ENTRIES;
export type WorkerFiles = Record<WorkerEntry, string>;

let bundle: Promise<WorkerFiles> | null = null;

/** One build per process: the jobs of one process must not race its rebuild. */
export function workerFiles(): Promise<WorkerFiles> {
  const here = import.meta.url;
  if (!here.endsWith('.ts') && !IS_CLI_BUNDLE) {
    const dir = path.dirname(fileURLToPath(here));
    return Promise.resolve(Object.fromEntries(Object.keys(ENTRIES).map((name) => [name, path.join(dir, `${name}.js`)])) as WorkerFiles);
  }
  bundle ??= buildFromSource().catch((err: unknown) => {
    bundle = null;
    throw err;
  });
  return bundle;
}

async function buildFromSource(): Promise<WorkerFiles> {
  const repo = REPO_ROOT;
  const srcMain = path.join(repo, 'src', 'main');
  const outDir = path.join(repo, 'out', 'workers');
  const files = Object.fromEntries(Object.keys(ENTRIES).map((name) => [name, path.join(outDir, `${name}.mjs`)])) as WorkerFiles;
  const sources = [srcMain, path.join(repo, 'src', 'shared')];
  if (Object.values(files).every((f) => isBuildFresh(f, sources))) return files;
  const esbuild = await import('esbuild');
  const temp = path.join(outDir, `.build-${process.pid}`);
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, src]) => [name, path.join(srcMain, src)])),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    outdir: temp,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  });
  for (const name of Object.keys(ENTRIES)) fs.renameSync(path.join(temp, `${name}.mjs`), path.join(outDir, `${name}.mjs`));
  fs.rmSync(temp, { recursive: true, force: true });
  return files;
}
