/** The Mailer over SMTP with nodemailer; replies and socket errors sorted into retry or fail. */
import type { Transporter } from 'nodemailer';
import { MailError, type MailMessage, type Mailer } from './mailer';
import type { SmtpSettings } from './smtpSettings';

const NETWORK_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function classifySmtpError(err: unknown): MailError {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const text = e.message ?? String(err);
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 400 && e.responseCode < 500) return new MailError(`the mail server asked to try later (${e.responseCode}): ${text}`, true);
    if (e.responseCode >= 500) return new MailError(`the mail server refused the message (${e.responseCode}): ${text}`, false);
  }
  if (e.code && NETWORK_CODES.has(e.code)) return new MailError(`no connection to the mail server (${e.code}); will retry`, true);
  return new MailError(text, true);
}

export function smtpMailer(settings: SmtpSettings, password: string | null): Mailer {
  // nodemailer is loaded on the first message, not when the app starts (95 ms of start-up).
  let transport: Transporter | null = null;
  const open = async (): Promise<Transporter> => {
    if (transport) return transport;
    const nodemailer = (await import('nodemailer')).default;
    transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.security === 'tls',
      requireTLS: settings.security === 'starttls',
      ignoreTLS: settings.security === 'none',
      auth: settings.user ? { user: settings.user, pass: password ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    });
    return transport;
  };
  return {
    async send(m: MailMessage): Promise<void> {
      try {
        await (await open()).sendMail({ from: m.from, to: m.to, subject: m.subject, text: m.text, messageId: m.messageId, attachments: m.attachments });
      } catch (err) {
        throw classifySmtpError(err);
      }
    },
    close: () => transport?.close(),
  };
}
