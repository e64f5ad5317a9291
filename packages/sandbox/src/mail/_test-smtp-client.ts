import { connect, type Socket } from 'node:net';

/** One SMTP reply: its code and its text lines (without the code). */
export interface SmtpReply {
  code: number;
  lines: string[];
}

/**
 * A bare SMTP client for tests of the sandbox's mail server: it sends the
 * commands it is given and returns each reply as it is, so a test sees the
 * exact codes (a real client library would turn them into errors).
 */
export async function openSmtp(port: number, host = '127.0.0.1') {
  const socket: Socket = connect(port, host);
  const replies: SmtpReply[] = [];
  const waiting: Array<{ resolve: (reply: SmtpReply) => void; reject: (error: Error) => void }> = [];
  let failure: Error | undefined;
  let buffer = '';
  let lines: string[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let end = buffer.indexOf('\r\n');
    while (end !== -1) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      lines.push(line.slice(4));
      // `250-…` continues a reply, `250 …` ends it.
      if (line[3] !== '-') {
        const reply = { code: Number(line.slice(0, 3)), lines };
        lines = [];
        const waiter = waiting.shift();
        if (waiter) waiter.resolve(reply);
        else replies.push(reply);
      }
      end = buffer.indexOf('\r\n');
    }
  });
  socket.on('error', (error) => {
    failure = error;
  });
  // A reply still awaited when the connection ends will never come.
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      failure ??= new Error('the SMTP connection closed');
      for (const waiter of waiting.splice(0)) waiter.reject(failure);
      resolve();
    }),
  );

  const next = () =>
    new Promise<SmtpReply>((resolve, reject) => {
      const ready = replies.shift();
      if (ready) resolve(ready);
      else if (socket.destroyed && failure) reject(failure);
      else waiting.push({ resolve, reject });
    });

  const greeting = await next();
  return {
    greeting,
    closed,
    /** Sends one command line and waits for its reply. */
    command(line: string): Promise<SmtpReply> {
      socket.write(`${line}\r\n`);
      return next();
    },
    /** Sends a message body after `DATA` was answered 354, dot-stuffed, and waits for the verdict. */
    body(raw: string): Promise<SmtpReply> {
      const stuffed = raw.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
      socket.write(`${stuffed}\r\n.\r\n`);
      return next();
    },
    end(): void {
      socket.end();
    },
  };
}

/** `AUTH PLAIN` with these credentials. */
export function authPlain(user: string, pass: string): string {
  return `AUTH PLAIN ${Buffer.from(`\0${user}\0${pass}`).toString('base64')}`;
}

/**
 * A whole delivery: EHLO, optional AUTH, MAIL FROM, one RCPT TO each, DATA,
 * QUIT. Returns the reply to every step, so a test can check where it failed.
 */
export async function deliver(
  port: number,
  mail: { from: string; to: string[]; raw: string; auth?: { user: string; pass: string } },
) {
  const smtp = await openSmtp(port);
  const ehlo = await smtp.command('EHLO test.localhost');
  const auth = mail.auth ? await smtp.command(authPlain(mail.auth.user, mail.auth.pass)) : undefined;
  const mailFrom = await smtp.command(`MAIL FROM:<${mail.from}>`);
  const rcptTo: SmtpReply[] = [];
  for (const to of mail.to) rcptTo.push(await smtp.command(`RCPT TO:<${to}>`));
  const data = await smtp.command('DATA');
  const body = data.code === 354 ? await smtp.body(mail.raw) : undefined;
  await smtp.command('QUIT');
  await smtp.closed;
  return { ehlo, auth, mailFrom, rcptTo, data, body };
}
