import { AppError } from '../../shared/errors';
import { openAppServices } from '../services/appServices';
import { createHandlers } from '../ipc/handlers';
import { SchedulerHost } from '../scheduler/schedulerHost';
import { environmentPassword } from '../delivery/smtpSettings';
import { startWebServer } from '../host/webServer';
import { ensureRendererBuild } from '../host/rendererBuild';
import { parseWholeNumber, rejectLeftovers, takeFlag, type ParsedArgs } from './argv';
import type { CliIo } from './main';

export async function runWebCommand(args: ParsedArgs, io: CliIo, dbPath: string, now: () => Date): Promise<number> {
  const portText = takeFlag(args, 'port');
  const port = portText === undefined ? 0 : parseWholeNumber(portText, 'port', 0, 65535);
  rejectLeftovers(args, 'web');
  const staticDir = await ensureRendererBuild(io.stderr);
  const services = openAppServices({ dbPath, now, createIfMissing: true });
  // Schedules run while web mode runs, as they do in the desktop app.
  const scheduler = new SchedulerHost(services, { password: environmentPassword(io.env), clock: { wallMs: () => now().getTime(), monotonicMs: () => performance.now() }, log: (line) => io.stderr(`${line}\n`) });
  let server;
  try {
    server = await startWebServer({ handlers: createHandlers(services, undefined, scheduler), staticDir, port });
  } catch (err) {
    services.close();
    throw new AppError('INVALID_INPUT', `cannot listen on 127.0.0.1:${port}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  io.stdout(`SiteReport web mode on ${dbPath}\nOpen ${server.url}\n`);
  if (io.env.SITEREPORT_NO_SCHEDULER !== '1') scheduler.start();
  const running = server;
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  await scheduler.stop();
  services.close();
  return 0;
}
