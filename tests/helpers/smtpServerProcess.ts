/**
 * A real SMTP server on loopback for the delivery tests, in a process of its own (started and
 * stopped by the tests). Every accepted message is appended to OUTFILE as one JSON line with
 * its Message-ID, recipients, subject and attachment names. Recipients starting with "busy"
 * get 451 (try later), "nobody" gets 550 (refused). Prints "ready PORT" once listening.
 */
import fs from 'node:fs';
import { SMTPServer } from 'smtp-server';

const [portText, outFile] = process.argv.slice(2) as [string, string];

function header(raw: string, name: string): string | null {
  const m = new RegExp(`^${name}:[ \\t]*(.*)`, 'im').exec(raw);
  return m ? (m[1] as string).trim() : null;
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= and ?B?) back to text. */
function decodeWords(value: string): string {
  return value.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, kind: string, data: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(address, _session, callback) {
    if (address.address.startsWith('busy')) return callback(Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }));
    if (address.address.startsWith('nobody')) return callback(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
    callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      // Headers folded onto continuation lines are unfolded first (RFC 5322 §2.2.3).
      const raw = Buffer.concat(chunks).toString('utf8').replace(/\r?\n(?=[ \t])/g, '');
      const attachments = [...raw.matchAll(/filename="([^"\r\n]+)"/g)].map((m) => m[1]);
      // Quoted-printable soft breaks and escapes undone, so tests can look for plain sentences.
      const text = Buffer.from(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
      const line = { messageId: header(raw, 'Message-ID'), to: session.envelope.rcptTo.map((r) => r.address), subject: decodeWords(header(raw, 'Subject') ?? ''), attachments, text };
      fs.appendFileSync(outFile, `${JSON.stringify(line)}\n`);
      callback();
    });
  },
});

server.listen(Number(portText), '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(`ready ${typeof address === 'object' && address ? address.port : portText}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
