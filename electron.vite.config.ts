import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          servicesProcess: resolve(__dirname, 'src/main/host/servicesProcess.ts'),
          // Started by path at run time (host/workerFiles), so they must be entries of their own.
          componentCsvProcess: resolve(__dirname, 'src/main/export/componentCsvProcess.ts'),
          componentCsvWorker: resolve(__dirname, 'src/main/export/componentCsvWorker.ts'),
          backfillWorker: resolve(__dirname, 'src/main/scheduler/backfillWorker.ts'),
          checkpointWorker: resolve(__dirname, 'src/main/db/checkpointWorker.ts'),
        },
        external: ['better-sqlite3'],
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') } },
    plugins: [react()],
  },
});
