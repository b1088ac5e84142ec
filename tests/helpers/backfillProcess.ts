/** A backfill in a process of its own, so a test can kill it part-way (SITEREPORT_CRASH_AT). */
import { openAppServices } from '../../src/main/services/appServices';
import { BackfillJobs, type Segment } from '../../src/main/scheduler/backfillJobs';

const [dbPath, from, to, segment] = process.argv.slice(2) as [string, string, string, Segment];
const services = openAppServices({ dbPath, now: () => new Date('2026-11-22T12:00:00Z') });
const jobs = new BackfillJobs(services);
const job = jobs.start({ from, to, segment, parallel: 2 });
const done = await jobs.settled(job.id);
process.stdout.write(`${JSON.stringify(done)}\n`);
services.close();
