import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { SandboxState } from '../state';
import { mailboxOf, type SmtpAddress } from './mailbox';
import { parseMessage } from './parse-message';
import { recipientVerdict } from './test-addresses';

/** Credentials the mail server insists on. */
export interface SmtpCredentials {
  user: string;
  pass: string;
}

export interface MailServerOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Without them any client may send, with any credentials or none. */
  auth?: SmtpCredentials;
}

export interface RunningMailServer {
  address: SmtpAddress;
  close(): Promise<void>;
}

/** Larger messages are refused with `552`, as real servers cap them. */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
/** How long `close()` lets a connected client finish before answering it `421` and hanging up. */
const CLOSE_GRACE_MS = 50;

/**
 * A real SMTP server on its own port that delivers every message it accepts
 * into `state.mailbox` and records an `email.received` effect. Plain text
 * only (no STARTTLS: a sandbox on loopback has no certificate a client would
 * trust), AUTH PLAIN and LOGIN allowed without TLS. Some recipients fail on
 * purpose (see test-addresses.ts).
 */
export async function startMailServer(
  state: SandboxState,
  options: MailServerOptions,
): Promise<RunningMailServer> {
  const mailbox = mailboxOf(state);
  const server = new SMTPServer({
    name: 'sandbox.baton.localhost',
    banner: 'Baton sandbox mail server',
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: options.auth === undefined,
    disableReverseLookup: true,
    size: MAX_MESSAGE_BYTES,
    closeTimeout: CLOSE_GRACE_MS,
    onAuth(auth, _session, callback) {
      const expected = options.auth;
      if (expected && (auth.username !== expected.user || auth.password !== expected.pass)) {
        callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
        return;
      }
      callback(null, { user: auth.username ?? '' });
    },
    onRcptTo(address, session, callback) {
      const verdict = recipientVerdict(mailbox, senderOf(session), address.address);
      callback(verdict.accept ? null : smtpError(verdict.code, verdict.message));
    },
    onData(stream, session, callback) {
      receive(stream, session).then(
        (id) => callback(null, `2.0.0 Ok: queued as ${id}`),
        (error: Error) => callback(error),
      );
    },
  });

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    if (stream.sizeExceeded) throw smtpError(552, '5.3.4 Message too big');
    const raw = Buffer.concat(chunks);
    const content = await parseMessage(raw).catch(() => {
      throw smtpError(451, '4.6.0 Message could not be parsed, try again');
    });
    const envelope = { from: senderOf(session) || null, to: session.envelope.rcptTo.map((r) => r.address) };
    const message = mailbox.deliver({
      ...content,
      envelope,
      authUser: session.user ? String(session.user) : null,
      size: raw.length,
      receivedAt: new Date().toISOString(),
    });
    const idempotencyKey = content.headers['x-baton-idempotency-key'];
    state.effect('mailbox', 'email.received', message.id, {
      messageId: message.messageId,
      from: envelope.from,
      to: envelope.to,
      subject: message.subject,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    return message.id;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client that hangs up mid-dialogue surfaces here; it must not bring the sandbox down.
  server.on('error', () => undefined);

  const { port } = server.server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const address = { host: options.host, port, url: `smtp://${host}:${port}` };
  mailbox.smtp = address;
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        mailbox.smtp = null;
        server.close(() => resolve());
      }),
  };
}

function senderOf(session: SMTPServerSession): string {
  return session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
}

/** An error whose `responseCode` is the SMTP reply the client gets. */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}
