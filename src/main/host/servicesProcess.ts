/**
 * The services host the desktop app runs in an Electron utility process, so that a long
 * query never blocks a window's event loop. It speaks plain messages over parentPort and
 * imports nothing from Electron.
 */
import { openAppServices } from '../services/appServices';
import { createHandlers, dispatch } from '../ipc/handlers';

interface Request {
  id: number;
  channel: unknown;
  input: unknown;
}

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
const handlers = createHandlers(services);
port.on('message', ({ data }) => {
  port.postMessage({ id: data.id, result: dispatch(handlers, data.channel, data.input) });
});
port.postMessage({ ready: true });
