/** The channel names alone, for the preload bundle (which must stay tiny and dependency-free). */
export const CHANNELS = ['app/info', 'projects/list', 'reports/list', 'reports/run'] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}
