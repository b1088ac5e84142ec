/**
 * The services host the desktop app runs in an Electron utility process, so that a long
 * query never blocks a window's event loop. It speaks plain messages over parentPort and
 * imports nothing from Electron.
 */
import { openAppServices } from '../services/appServices';
import { createHandlers, dispatch } from '../ipc/handlers';
import { ExportFolders, ExportJobs } from '../services/exportJobs';
import { defaultExportDirectory } from '../services/dataDirectory';
import { SchedulerHost } from '../scheduler/schedulerHost';
import { KeychainPassword, readPasswordCiphertext, storePasswordCiphertext } from '../delivery/smtpSettings';

/** A contract request from the window; main registering a folder the user picked in its
    dialog; main handing over the SMTP password it keeps with safeStorage (main sends those
    itself; the window cannot, its IPC only carries contract channels). */
type Request =
  | { id: number; channel: unknown; input: unknown; addFolder?: undefined; smtpSecret?: undefined }
  | { id: number; addFolder: string; smtpSecret?: undefined }
  | { id?: number; smtpSecret: { ciphertext: string | null; password: string | null }; addFolder?: undefined };

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
const password = new KeychainPassword();
const scheduler = new SchedulerHost(services, { password, log: (line) => process.stdout.write(`${line}\n`) });
const handlers = createHandlers(services, jobs, scheduler);
port.on('message', ({ data }) => {
  if (data.smtpSecret !== undefined) {
    // The ciphertext is kept; the password itself only in memory.
    if (data.smtpSecret.ciphertext) storePasswordCiphertext(services.db, data.smtpSecret.ciphertext);
    password.set(data.smtpSecret.password);
    if (data.id !== undefined) port.postMessage({ id: data.id, result: { ok: true, value: null } });
    return;
  }
  if (data.addFolder !== undefined) {
    port.postMessage({ id: data.id, result: { ok: true, value: jobs.folders.add(data.addFolder) } });
    return;
  }
  port.postMessage({ id: data.id, result: dispatch(handlers, data.channel, data.input) });
});
// Main decrypts the stored password with safeStorage and sends it back as smtpSecret.
port.postMessage({ ready: true, smtpCiphertext: readPasswordCiphertext(services.db) });
scheduler.start();
