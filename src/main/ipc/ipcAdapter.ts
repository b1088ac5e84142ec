/**
 * The only place IPC meets the contract: one handler per known channel (anything else has no
 * handler), sender checked to be the app's main frame, input forwarded to the services host
 * which parses it with the shared schema. Errors travel as Result values.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type Channel } from '../../shared/contract/channels';
import type { Result } from '../../shared/errors';
import { isTrustedSender } from '../windows/windowSecurity';

export type ForwardRequest = (channel: Channel, input: unknown) => Promise<Result<unknown>>;

export function registerIpc(forward: ForwardRequest, appWebContentsId: () => number, isAppUrl: (url: string) => boolean): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
      const frame = event.senderFrame;
      const trusted =
        frame !== null &&
        isTrustedSender(
          { isMainFrame: frame === event.sender.mainFrame, url: frame.url, webContentsId: event.sender.id },
          appWebContentsId(),
          isAppUrl,
        );
      if (!trusted) return { ok: false, error: { code: 'INVALID_INPUT', message: 'request from an untrusted frame refused' } };
      return forward(channel, input);
    });
  }
}
