/**
 * Where the component-CSV export process and its reader threads live. A build has them next to
 * this module; running from source (the CLI through tsx, tests) they are bundled once with
 * esbuild into out/workers, because a process that compiled its TypeScript on start took half
 * a second and twice the memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBuildFresh } from '../host/sourceFreshness';

export interface CsvReaderFiles {
  process: string;
  worker: string;
}

const ENTRIES = { process: 'componentCsvProcess', worker: 'componentCsvWorker' } as const;

let bundle: Promise<CsvReaderFiles> | null = null;

/** One build per process: the exports of one process must not race its rebuild. */
export function csvReaderFiles(): Promise<CsvReaderFiles> {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    const dir = path.dirname(fileURLToPath(here));
    return Promise.resolve({ process: path.join(dir, `${ENTRIES.process}.js`), worker: path.join(dir, `${ENTRIES.worker}.js`) });
  }
  bundle ??= buildFromSource().catch((err: unknown) => {
    bundle = null;
    throw err;
  });
  return bundle;
}

async function buildFromSource(): Promise<CsvReaderFiles> {
  const srcMain = path.resolve(fileURLToPath(import.meta.url), '../..');
  const repo = path.resolve(srcMain, '../..');
  const outDir = path.join(repo, 'out', 'workers');
  const files: CsvReaderFiles = { process: path.join(outDir, `${ENTRIES.process}.mjs`), worker: path.join(outDir, `${ENTRIES.worker}.mjs`) };
  const sources = [srcMain, path.join(repo, 'src', 'shared')];
  if (isBuildFresh(files.process, sources) && isBuildFresh(files.worker, sources)) return files;
  const esbuild = await import('esbuild');
  const temp = path.join(outDir, `.build-${process.pid}`);
  await esbuild.build({
    entryPoints: Object.values(ENTRIES).map((name) => path.join(srcMain, 'export', `${name}.ts`)),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    outdir: temp,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  });
  for (const name of Object.values(ENTRIES)) fs.renameSync(path.join(temp, `${name}.mjs`), path.join(outDir, `${name}.mjs`));
  fs.rmSync(temp, { recursive: true, force: true });
  return files;
}
