/**
 * The services host the desktop app runs in an Electron utility process, so that a long
 * query never blocks a window's event loop. It speaks plain messages over parentPort and
 * imports nothing from Electron.
 */
import { openAppServices } from '../services/appServices';
import { createHandlers, dispatch } from '../ipc/handlers';
import { ExportFolders, ExportJobs } from '../services/exportJobs';
import { defaultExportDirectory } from '../services/dataDirectory';

/** A contract request from the window, or main registering a folder the user picked in its
    dialog (main sends that one itself; the window cannot, its IPC only carries contract channels). */
type Request = { id: number; channel: unknown; input: unknown; addFolder?: undefined } | { id: number; addFolder: string };

interface ParentPort {
  on(event: 'message', listener: (e: { data: Request }) => void): void;
  postMessage(message: unknown): void;
}

const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
const dbPath = process.env.SITEREPORT_DB_PATH;
if (!port || !dbPath) {
  process.stderr.write('servicesProcess must be started by the SiteReport app\n');
  process.exit(2);
}
const services = openAppServices({ dbPath, createIfMissing: true });
const jobs = new ExportJobs(services, new ExportFolders(defaultExportDirectory()));
const handlers = createHandlers(services, jobs);
port.on('message', ({ data }) => {
  if (data.addFolder !== undefined) {
    port.postMessage({ id: data.id, result: { ok: true, value: jobs.folders.add(data.addFolder) } });
    return;
  }
  port.postMessage({ id: data.id, result: dispatch(handlers, data.channel, data.input) });
});
port.postMessage({ ready: true });
