/**
 * Sending one message. The outbox decides what a failure means: a transient one (no network,
 * a 4xx reply) is retried later, a permanent one (a 5xx reply: unknown mailbox, bad password)
 * is shown to the user.
 */
export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  attachments: Array<{ filename: string; path: string }>;
}

export class MailError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export interface Mailer {
  /** Resolves once the server accepted the message (250); throws MailError otherwise. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}
