/**
 * SMTP settings, kept in `meta` without the password. The password lives in the OS keychain
 * (Electron safeStorage, held by the desktop app and handed to the services in memory) or, for
 * `schedule run-due` and web mode, in SITEREPORT_SMTP_PASSWORD; it is never written to the
 * database in plain text.
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { Db } from '../db/connection';

export const SmtpSettingsSchema = z.strictObject({
  host: z.string().min(1, 'the SMTP server name is missing').max(255),
  port: z.number().int().min(1).max(65535),
  security: z.enum(['starttls', 'tls', 'none']),
  user: z.string().max(255).default(''),
  from: z.email('the sender must be an e-mail address'),
  /** Files larger than this are not attached; the message names their folder instead. */
  maxAttachmentMb: z.number().min(0).max(100).default(10),
});

export type SmtpSettings = z.output<typeof SmtpSettingsSchema>;

const KEY = 'smtp_settings';

export function readSmtpSettings(db: Db): SmtpSettings | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(KEY) as { value: string } | undefined;
  if (!row) return null;
  const parsed = SmtpSettingsSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : null;
}

export function saveSmtpSettings(db: Db, input: unknown): SmtpSettings {
  const parsed = SmtpSettingsSchema.safeParse(input);
  if (!parsed.success) throw new AppError('INVALID_INPUT', parsed.error.issues.map((i) => i.message).join('; '));
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(parsed.data));
  return parsed.data;
}

/** Where the password comes from in this process. */
export interface SmtpPasswordSource {
  password(): string | null;
  /** Where it is kept, in words, for the Settings screen. */
  readonly kind: 'os-keychain' | 'environment';
}

export function environmentPassword(env: NodeJS.ProcessEnv = process.env): SmtpPasswordSource {
  return { kind: 'environment', password: () => env.SITEREPORT_SMTP_PASSWORD ?? null };
}

/** The desktop app's source: the password decrypted by main with safeStorage, held in memory. */
export class KeychainPassword implements SmtpPasswordSource {
  readonly kind = 'os-keychain' as const;
  private value: string | null = null;

  set(password: string | null): void {
    this.value = password;
  }

  password(): string | null {
    return this.value;
  }
}

const CIPHER_KEY = 'smtp_password_keychain';

/** The password as the OS keychain encrypted it (base64); only the desktop app can decrypt it. */
export function readPasswordCiphertext(db: Db): string | null {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(CIPHER_KEY) as { value: string } | undefined)?.value ?? null;
}

export function storePasswordCiphertext(db: Db, ciphertext: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(CIPHER_KEY, ciphertext);
}
