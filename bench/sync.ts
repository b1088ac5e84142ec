/**
 * Sync benchmark (issue 7): a throwaway PostgreSQL 15 with a generated PipeTrak project of N
 * components and 5N milestones. Baseline: reading every row with the same batched queries and
 * writing nothing (the floor the server and driver set). Then the first sync into a fresh
 * database (three of each, alternating), and incremental syncs after 1 % of the milestones
 * changed on the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startPostgres } from '../tests/helpers/postgresServer';
import { generatePipetrak } from '../tests/helpers/pipetrakData';
import { createDemoDatabase } from '../src/main/demo/createDemoDatabase';
import { openAppServices } from '../src/main/services/appServices';
import { syncFromServer } from '../src/main/sync/serverSync';
import { SERVER_TABLES, cursorText } from '../src/main/sync/serverTables';
import { backgroundCheckpoints } from '../src/main/db/backgroundCheckpoint';
import { median } from './machine';
import type { Row } from './foundation';

function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
    },
  };
}

/** Every row, in the sync's batches and order, parsed by the driver and dropped. */
async function readFloor(url: string, batchSize: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t = performance.now();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  for (const table of SERVER_TABLES) {
    const col = `t."${table.cursorColumn}"`;
    const sql = `SELECT ${table.select}, ${cursorText(col)} AS __cursor_at, t.id AS __cursor_id FROM "${table.name}" t ${table.join ?? ''}
                 WHERE (${col}, t.id) > (($1::timestamp AT TIME ZONE 'UTC'), $2) ORDER BY ${col}, t.id LIMIT $3`;
    let cursor = ['0001-01-01 00:00:00.000000', ''];
    for (;;) {
      const { rows } = await client.query<Record<string, unknown>>(sql, [...cursor, batchSize]);
      if (rows.length === 0) break;
      const last = rows[rows.length - 1]!;
      cursor = [String(last.__cursor_at), String(last.__cursor_id)];
    }
  }
  await client.query('COMMIT');
  const ms = performance.now() - t;
  await client.end();
  return ms;
}

export async function runSyncBench(dataDir: string, components: number, log: (s: string) => void): Promise<Row[]> {
  const server = await startPostgres();
  try {
    const size = `${components.toLocaleString('en-US')} components, ${(components * 5).toLocaleString('en-US')} milestones`;
    let t = performance.now();
    await generatePipetrak(server, { north: components, south: 0 });
    log(`sync bench: server generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    // The floor and the first sync alternate, three times each, so that both see the same
    // machine: a single first sync varied by ±3 s between runs an hour apart.
    const floors: number[] = [];
    const firsts: number[] = [];
    const firstCheckpoints: number[] = [];
    const firstPeaks: number[] = [];
    let services: ReturnType<typeof openAppServices> | null = null;
    const rows: Row[] = [];
    try {
      for (let run = 1; run <= 3; run++) {
        floors.push(await readFloor(server.readerUrl, 50_000));
        log(`sync bench: read floor ${(floors.at(-1)! / 1000).toFixed(1)} s`);
        services?.close();
        services = null;
        for (const f of ['', '-wal', '-shm']) fs.rmSync(path.join(dataDir, `sync-${run - 1}.db${f}`), { force: true });
        const dbPath = path.join(dataDir, `sync-${run}.db`);
        createDemoDatabase(dbPath, { components: 100, seed: 1, anchorDate: '2026-11-22' });
        services = openAppServices({ dbPath });
        const rss = rssSampler();
        t = performance.now();
        const first = await syncFromServer(services, server.readerUrl);
        firsts.push(performance.now() - t);
        firstPeaks.push(rss.stop());
        log(`sync bench: first sync ${(firsts.at(-1)! / 1000).toFixed(1)} s, ${first.rowsIn} rows, peak ${firstPeaks.at(-1)!.toFixed(0)} MB`);
        // The sync returns once its rows are committed and visible; the WAL checkpoint then runs in
        // a worker thread. Timed apart, and waited for so that nothing overlaps the next step.
        t = performance.now();
        await backgroundCheckpoints();
        firstCheckpoints.push(performance.now() - t);
        log(`sync bench: checkpoint after it ${(firstCheckpoints.at(-1)! / 1000).toFixed(1)} s`);
      }
      const floor = median(floors);
      const firstMs = median(firsts);
      rows.push({ name: 'baseline: read every row in the same batches, write nothing', size, runs: floors.length, medianMs: floor, target: '—' });
      // The first run's peak: the process keeps some of a run's memory into the next (1.41 GB in
      // the first run, 1.80 and 1.81 GB in the next two of one bench).
      rows.push({ name: 'first sync (into a fresh database)', size, runs: firsts.length, medianMs: firstMs, peakRssMb: firstPeaks[0], ratio: `${(firstMs / floor).toFixed(2)}× read floor`, target: '≤ 60 s' });
      rows.push({ name: 'checkpoint after the first sync (worker thread, after the sync returned)', size, runs: firstCheckpoints.length, medianMs: median(firstCheckpoints), target: '—' });
      log(`sync bench: first syncs ${firsts.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s; floors ${floors.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s`);

      const changed = Math.round(components * 5 * 0.01);
      const times: number[] = [];
      const checkpointTimes: number[] = [];
      let peak = 0;
      for (let run = 0; run < 3; run++) {
        // A different 1 % each time: milestones completed (or reopened) today.
        await server.exec(
          `UPDATE "ComponentMilestone" SET "isCompleted" = NOT "isCompleted",
             "completedAt" = CASE WHEN "isCompleted" THEN NULL ELSE now() - interval '1 hour' END, "updatedAt" = now()
           WHERE id IN (SELECT id FROM "ComponentMilestone" ORDER BY md5(id || $1) LIMIT ${changed})`,
          [`run${run}`],
        );
        const sample = rssSampler();
        t = performance.now();
        // Only this run's changes are new: no overlap window, so earlier runs' rows are not read again.
        const r = await syncFromServer(services!, server.readerUrl, { overlapSeconds: 0 });
        times.push(performance.now() - t);
        peak = Math.max(peak, sample.stop());
        t = performance.now();
        await backgroundCheckpoints();
        checkpointTimes.push(performance.now() - t);
        log(`sync bench: incremental ${times.at(-1)!.toFixed(0)} ms, ${r.changed} changed; checkpoint after it ${checkpointTimes.at(-1)!.toFixed(0)} ms`);
      }
      rows.push({ name: `incremental sync, 1 % of milestones changed (${changed.toLocaleString('en-US')})`, size, runs: times.length, medianMs: median(times), peakRssMb: peak, ratio: `${(median(times) / firstMs).toFixed(3)}× first sync`, target: '≤ 2 s' });
      rows.push({ name: 'checkpoint after each incremental sync (worker thread, after the sync returned)', size, runs: checkpointTimes.length, medianMs: median(checkpointTimes), target: '—' });
    } finally {
      services?.close();
    }
    return rows;
  } finally {
    server.remove();
  }
}
