/** The mail transport for this process from the stored settings, or null when not set up. */
import type { AppServices } from '../services/appServices';
import type { MailSetup } from '../scheduler/scheduleRunner';
import { smtpMailer } from './smtpMailer';
import { readSmtpSettings, type SmtpPasswordSource } from './smtpSettings';

export function mailSetupFor(services: AppServices, password: SmtpPasswordSource): MailSetup | null {
  const settings = readSmtpSettings(services.db);
  if (!settings) return null;
  return { mailer: smtpMailer(settings, password.password()), from: settings.from, maxAttachmentBytes: settings.maxAttachmentMb * 1024 * 1024 };
}
