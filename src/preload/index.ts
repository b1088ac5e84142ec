/** Exposes exactly the contract's channels as window.api; no other access to Electron. */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS } from '../shared/contract/channels';

const api = Object.freeze({
  invoke(channel: string, input: unknown): Promise<unknown> {
    if (!(CHANNELS as readonly string[]).includes(channel)) return Promise.reject(new Error(`unknown channel ${channel}`));
    return ipcRenderer.invoke(channel, input);
  },
});

contextBridge.exposeInMainWorld('api', api);
