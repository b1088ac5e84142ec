// Runs one demo generation in its own process so that its peak RSS is its own.
import { createDemoDatabase } from '../src/main/demo/createDemoDatabase';

const [file, n] = process.argv.slice(2);
const t = performance.now();
createDemoDatabase(file as string, { components: Number(n), seed: 1, anchorDate: '2026-11-22', overwrite: true });
process.stdout.write(JSON.stringify({ ms: performance.now() - t, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
