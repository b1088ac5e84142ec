export interface PreloadApi {
  invoke(channel: string, input: unknown): Promise<unknown>;
}

declare global {
  interface Window {
    api?: PreloadApi;
  }
}
