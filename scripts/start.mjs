#!/usr/bin/env node
// `npm start`: the desktop app where the Electron binary is installed, else web mode.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const dist = path.join(path.dirname(require.resolve('electron/package.json')), 'path.txt');
    if (!fs.existsSync(dist)) return null;
    const binary = path.join(path.dirname(dist), 'dist', fs.readFileSync(dist, 'utf8').trim());
    return fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const run = (cmd, args) => new Promise((resolve) => spawn(cmd, args, { cwd: root, stdio: 'inherit' }).on('exit', (code) => resolve(code ?? 1)));

if (electronBinary() && (process.env.DISPLAY || process.platform !== 'linux')) {
  const built = await run(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
  if (built !== 0) process.exit(built);
  process.exit(await run(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'preview']));
} else {
  console.log('Electron binary not installed here (or no display): starting SiteReport in web mode instead.');
  process.exit(await run(process.execPath, [path.join(root, 'bin/sitereport'), 'web', ...process.argv.slice(2)]));
}
