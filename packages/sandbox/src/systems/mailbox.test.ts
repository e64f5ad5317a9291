import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { deliver, openSmtp } from '../mail/_test-smtp-client';
import type { MailboxMessage } from '../mail/mailbox';
import { type RunningSandbox, startSandbox } from '../server';
import { mailboxSystem } from './mailbox';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

const smtpPort = () => sandbox.smtp!.port;
const api = (path: string, init?: RequestInit) => fetch(`${sandbox.url}/mailbox${path}`, init);
const messages = async (query = '') =>
  ((await (await api(`/messages${query}`)).json()) as { messages: MailboxMessage[] }).messages;

/** A password-reset mail as a client library writes it: text and HTML alternatives, an encoded subject. */
const resetMail = (to: string, key = 'run_1:send-reset') =>
  [
    'From: "Acme Accounts" <no-reply@acme.test>',
    `To: Jane Doe <${to}>`,
    'Cc: security@acme.test',
    'Reply-To: support@acme.test',
    'Subject: =?UTF-8?Q?R=C3=A9initialiser_your_password?=',
    'Message-ID: <reset-1@acme.test>',
    `X-Baton-Idempotency-Key: ${key}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    'Reset it here: https://acme.test/reset?t=abc',
    '.a line that starts with a dot',
    '--b1',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>Reset it <a href="https://acme.test/reset?t=abc">here</a></p>',
    '--b1--',
    '',
  ].join('\r\n');

describe('the mail server and the mailbox', () => {
  it('listens on its own free port when the sandbox does, and says where', async () => {
    expect(sandbox.smtp).toEqual({
      host: '127.0.0.1',
      port: expect.any(Number),
      url: `smtp://127.0.0.1:${smtpPort()}`,
    });
    expect(smtpPort()).not.toBe(sandbox.port);
    expect(await (await api('')).json()).toEqual({ smtp: sandbox.smtp, messages: 0 });
    const smtp = await openSmtp(smtpPort());
    expect(smtp.greeting.code).toBe(220);
    const ehlo = await smtp.command('EHLO test.localhost');
    expect(ehlo.lines).toEqual(expect.arrayContaining(['AUTH LOGIN PLAIN']));
    // Plain text on loopback: no certificate for a client to trust, so no STARTTLS.
    expect(ehlo.lines).not.toContain('STARTTLS');
    smtp.end();
  });

  it('parses what it accepts into the mailbox, readable over HTTP, and records the effect', async () => {
    const sent = await deliver(smtpPort(), {
      from: 'bounces@acme.test',
      to: ['jane@example.com', 'audit@acme.test'],
      raw: resetMail('jane@example.com'),
    });
    expect(sent.mailFrom.code).toBe(250);
    expect(sent.rcptTo.map((r) => r.code)).toEqual([250, 250]);
    expect(sent.body).toMatchObject({ code: 250, lines: ['2.0.0 Ok: queued as msg_1'] });

    const [message] = await messages();
    expect(message).toEqual({
      id: 'msg_1',
      messageId: '<reset-1@acme.test>',
      from: 'no-reply@acme.test',
      to: ['jane@example.com'],
      cc: ['security@acme.test'],
      replyTo: ['support@acme.test'],
      subject: 'Réinitialiser your password',
      text: 'Reset it here: https://acme.test/reset?t=abc\n.a line that starts with a dot',
      html: '<p>Reset it <a href="https://acme.test/reset?t=abc">here</a></p>',
      headers: expect.objectContaining({
        from: '"Acme Accounts" <no-reply@acme.test>',
        'message-id': '<reset-1@acme.test>',
        'x-baton-idempotency-key': 'run_1:send-reset',
      }),
      // The Bcc-like recipient is only in the envelope.
      envelope: { from: 'bounces@acme.test', to: ['jane@example.com', 'audit@acme.test'] },
      authUser: null,
      size: expect.any(Number),
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await (await api('/messages/msg_1')).json()).toEqual(message);
    expect(sandbox.state.effects.filter((e) => e.system === 'mailbox')).toEqual([
      expect.objectContaining({
        kind: 'email.received',
        ref: 'msg_1',
        data: {
          messageId: '<reset-1@acme.test>',
          from: 'bounces@acme.test',
          to: ['jane@example.com', 'audit@acme.test'],
          subject: 'Réinitialiser your password',
          idempotencyKey: 'run_1:send-reset',
        },
      }),
    ]);
  });

  it('lists newest last, filters by recipient, answers 404 for an unknown id, and empties', async () => {
    for (const to of ['ada@example.com', 'bob@example.com', 'ada@example.com']) {
      await deliver(smtpPort(), { from: 'a@acme.test', to: [to], raw: resetMail(to) });
    }
    expect((await messages()).map((m) => [m.id, m.envelope.to[0]])).toEqual([
      ['msg_1', 'ada@example.com'],
      ['msg_2', 'bob@example.com'],
      ['msg_3', 'ada@example.com'],
    ]);
    expect((await messages('?to=ADA@example.com')).map((m) => m.id)).toEqual(['msg_1', 'msg_3']);
    const missing = await api('/messages/msg_99');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { type: 'not_found' } });

    expect((await api('/messages', { method: 'DELETE' })).status).toBe(204);
    expect(await messages()).toEqual([]);
    // Ids keep counting after DELETE, so an id read earlier never names another message.
    await deliver(smtpPort(), {
      from: 'a@acme.test',
      to: ['c@example.com'],
      raw: resetMail('c@example.com'),
    });
    expect((await messages()).map((m) => m.id)).toEqual(['msg_4']);

    expect((await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' })).status).toBe(204);
    expect(await messages()).toEqual([]);
    await deliver(smtpPort(), {
      from: 'a@acme.test',
      to: ['c@example.com'],
      raw: resetMail('c@example.com'),
    });
    expect((await messages()).map((m) => m.id)).toEqual(['msg_1']);
  });

  it('fails the test recipients as real servers do: bounce, tempfail, greylist', async () => {
    const sent = await deliver(smtpPort(), {
      from: 'a@acme.test',
      to: ['bounce@example.com', 'tempfail+7@example.com', 'greylist@example.com', 'ok@example.com'],
      raw: resetMail('ok@example.com'),
    });
    expect(sent.rcptTo.map((r) => [r.code, r.lines[0]])).toEqual([
      [550, '5.1.1 <bounce@example.com>: mailbox unavailable'],
      [451, '4.3.0 Temporary failure, try again later'],
      [451, '4.7.1 Greylisted, try again later'],
      [250, expect.any(String)],
    ]);
    expect((await messages()).map((m) => m.envelope.to)).toEqual([['ok@example.com']]);

    // Greylisting defers a sender's first try only.
    const again = await deliver(smtpPort(), {
      from: 'a@acme.test',
      to: ['greylist@example.com'],
      raw: resetMail('greylist@example.com'),
    });
    expect(again.rcptTo[0]?.code).toBe(250);
    expect(again.body?.code).toBe(250);

    // With every recipient refused there is nothing to send.
    const none = await deliver(smtpPort(), {
      from: 'a@acme.test',
      to: ['bounce@example.com'],
      raw: resetMail('x@example.com'),
    });
    expect(none.data.code).toBe(503);
    expect(await messages()).toHaveLength(2);
  });

  it('accepts any credentials, or none, when it is given none to check', async () => {
    const sent = await deliver(smtpPort(), {
      from: 'a@acme.test',
      to: ['jane@example.com'],
      raw: resetMail('jane@example.com'),
      auth: { user: 'whoever', pass: 'whatever' },
    });
    expect(sent.auth?.code).toBe(235);
    expect((await messages())[0]?.authUser).toBe('whoever');
  });
});

describe('a mail server that requires credentials', () => {
  it('refuses mail without them (530) and wrong ones (535), and records who sent', async () => {
    await using strict = await startStrict();
    const port = strict.smtp!.port;
    const anonymous = await deliver(port, {
      from: 'a@acme.test',
      to: ['j@example.com'],
      raw: resetMail('j@x'),
    });
    expect(anonymous.mailFrom.code).toBe(530);
    const wrong = await deliver(port, {
      from: 'a@acme.test',
      to: ['j@example.com'],
      raw: resetMail('j@x'),
      auth: { user: 'mailer', pass: 'not-it' },
    });
    expect(wrong.auth).toMatchObject({ code: 535, lines: ['5.7.8 Authentication credentials invalid'] });
    const right = await deliver(port, {
      from: 'a@acme.test',
      to: ['j@example.com'],
      raw: resetMail('j@x'),
      auth: { user: 'mailer', pass: 's3cret' },
    });
    expect(right.auth?.code).toBe(235);
    expect(right.body?.code).toBe(250);
    const listed = (await (await fetch(`${strict.url}/mailbox/messages`)).json()) as {
      messages: MailboxMessage[];
    };
    expect(listed.messages.map((m) => m.authUser)).toEqual(['mailer']);
  });
});

describe('the mail server with the sandbox', () => {
  it('closes with it, hanging up on connected clients at once', async () => {
    const own = await startSandbox({ port: 0 });
    const port = own.smtp!.port;
    const idle = await openSmtp(port);
    const started = Date.now();
    await own.close();
    await idle.closed;
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(openSmtp(port)).rejects.toThrow();
  });

  it('runs none with smtpPort false, or without the mailbox system', async () => {
    const without = await startSandbox({ port: 0, smtpPort: false });
    expect(without.smtp).toBeNull();
    expect(await (await fetch(`${without.url}/mailbox`)).json()).toEqual({ smtp: null, messages: 0 });
    await without.close();
    const other = await startSandbox({ port: 0, systems: [] });
    expect(other.smtp).toBeNull();
    await other.close();
  });

  it('says the mail server could not listen, and leaves no HTTP server behind', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(startSandbox({ port: 0, smtpPort: port })).rejects.toMatchObject({
        message: expect.stringMatching(/^mail server \(SMTP\): listen EADDRINUSE/),
        code: 'EADDRINUSE',
        port,
      });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('reads the same mailbox through createSandboxApp, with no server', async () => {
    const { app } = createSandboxApp({ systems: [mailboxSystem] });
    expect(await (await app.request('/mailbox/messages')).json()).toEqual({ messages: [] });
    expect(await (await app.request('/mailbox')).json()).toEqual({ smtp: null, messages: 0 });
  });
});

async function startStrict() {
  const strict = await startSandbox({ port: 0, smtpAuth: { user: 'mailer', pass: 's3cret' } });
  return Object.assign(strict, { [Symbol.asyncDispose]: () => strict.close() });
}
