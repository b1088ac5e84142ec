/**
 * Web mode serves the renderer build. In a checkout it is built on first use (and rebuilt
 * when a renderer source is newer), so `sitereport web` needs no separate build step.
 */
import path from 'node:path';
import { isBuildFresh } from './sourceFreshness';
import { REPO_ROOT } from './sourceRoot';

const repoRoot = REPO_ROOT;
export const RENDERER_OUT = path.join(repoRoot, 'out', 'renderer');

export async function ensureRendererBuild(log: (line: string) => void): Promise<string> {
  const index = path.join(RENDERER_OUT, 'index.html');
  const sources = [path.join(repoRoot, 'src', 'renderer'), path.join(repoRoot, 'src', 'shared'), path.join(repoRoot, 'src', 'main', 'host', 'rendererBuild.ts')];
  const upToDate = isBuildFresh(index, sources);
  if (upToDate) return RENDERER_OUT;
  log('building the app page (first run only)…\n');
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  // Always React's production build: under vitest NODE_ENV is "test", and Vite and the React
  // plugin then bundle React's development build, several times slower (a grid jump took
  // 200 ms more). The plugin reads NODE_ENV itself, so it is set for the build's duration.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: false,
      root: path.join(repoRoot, 'src', 'renderer'),
      base: './',
      logLevel: 'warn',
      plugins: [react()],
      mode: 'production',
      // One app bundle of ~0.8 MB served from loopback is intended; the size warning is noise.
      build: { outDir: RENDERER_OUT, emptyOutDir: true, chunkSizeWarningLimit: 2048 },
    });
  } catch (err) {
    const details = (err as { errors?: Array<{ message?: string }> }).errors?.map((e) => e.message ?? String(e)).join('; ');
    throw new Error(`building the app page failed: ${details || (err as Error).message}`);
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
  return RENDERER_OUT;
}
