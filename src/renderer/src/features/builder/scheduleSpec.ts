/** The builder's schedule choices as a schedule spec (SPEC §10), or null for "run once". */
import type { ScheduleDraft } from './builderStore';

export function specOf(s: ScheduleDraft): Record<string, unknown> | null {
  switch (s.mode) {
    case 'once':
      return null;
    case 'daily':
      return { frequency: 'daily', time: s.time, timezone: s.timezone };
    case 'weekly':
      return { frequency: 'weekly', time: s.time, timezone: s.timezone, daysOfWeek: [...s.daysOfWeek].sort() };
    case 'monthly':
      return { frequency: 'monthly', time: s.time, timezone: s.timezone, dayOfMonth: s.dayOfMonth };
    case 'cron':
      return { frequency: 'cron', cron: s.cron, timezone: s.timezone };
  }
}

export function recipientsOf(text: string): string[] {
  return text.split(/[,;\s]+/).map((r) => r.trim()).filter(Boolean);
}

export const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/;
