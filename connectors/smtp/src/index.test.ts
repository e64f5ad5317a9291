import { type MailboxMessage, type RunningSandbox, startSandbox } from '@baton/sandbox';
import { serializeError } from '@baton/sdk/host';
import { CANARY_SECRET, checkConformance, runAction } from '@baton/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort, silentServer } from './_test-servers';
import connector from './index';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

const mailConfig = (overrides: Record<string, unknown> = {}) => ({
  host: '127.0.0.1',
  port: sandbox.smtp!.port,
  from: 'Acme Accounts <no-reply@acme.test>',
  ...overrides,
});

/** What the sandbox's mail server received, read the way any client would: over its HTTP API. */
async function mailbox(url = sandbox.url): Promise<MailboxMessage[]> {
  const res = await fetch(`${url}/mailbox/messages`);
  return ((await res.json()) as { messages: MailboxMessage[] }).messages;
}

interface Failure {
  code: string;
  retryable: boolean;
  message: string;
  details?: Record<string, unknown>;
  logs?: unknown[];
}

async function failure(config: unknown, input: unknown, options: { timeoutMs?: number } = {}) {
  return runAction(connector, 'send-email', { config, input, ...options }).then(
    () => {
      throw new Error('expected the action to fail');
    },
    (error: unknown) => error as Failure,
  );
}

const reset = {
  to: 'Jane Doe <jane@example.com>',
  subject: 'Reset your password',
  text: 'Open https://acme.test/reset?token=abc123 within the hour.',
  html: '<p><a href="https://acme.test/reset?token=abc123">Choose a new password</a></p>',
};

describe('send-email against the sandbox mail server', () => {
  it('delivers text and HTML with copies, a reply address and extra headers', async () => {
    const { output } = await runAction(connector, 'send-email', {
      config: mailConfig(),
      input: {
        ...reset,
        cc: ['security@acme.test'],
        bcc: 'audit@acme.test',
        replyTo: 'support@acme.test',
        headers: { 'X-Campaign': 'password-reset' },
      },
      idempotencyKey: 'run_1:send-reset',
    });
    expect(output).toEqual({
      messageId: expect.stringMatching(/^<[0-9a-f]{32}@acme\.test>$/),
      accepted: ['jane@example.com', 'security@acme.test', 'audit@acme.test'],
      rejected: [],
    });

    const [message, ...others] = await mailbox();
    expect(others).toEqual([]);
    expect(message).toMatchObject({
      messageId: (output as { messageId: string }).messageId,
      from: 'no-reply@acme.test',
      to: ['jane@example.com'],
      cc: ['security@acme.test'],
      replyTo: ['support@acme.test'],
      subject: reset.subject,
      text: reset.text,
      html: reset.html,
      envelope: {
        from: 'no-reply@acme.test',
        to: ['jane@example.com', 'security@acme.test', 'audit@acme.test'],
      },
    });
    expect(message?.headers).toMatchObject({
      from: 'Acme Accounts <no-reply@acme.test>',
      'x-baton-idempotency-key': 'run_1:send-reset',
      'x-campaign': 'password-reset',
    });
    // Bcc recipients are in the envelope only.
    expect(message?.headers).not.toHaveProperty('bcc');
  });

  it('gives a retried send the Message-ID of the first, and another step another', async () => {
    const send = (idempotencyKey: string) =>
      runAction<{ messageId: string }>(connector, 'send-email', {
        config: mailConfig(),
        input: reset,
        idempotencyKey,
      });
    const first = await send('run_7:reset');
    const retry = await send('run_7:reset');
    const replay = await send('run_8:reset');
    expect(retry.output.messageId).toBe(first.output.messageId);
    expect(replay.output.messageId).not.toBe(first.output.messageId);
    expect((await mailbox()).map((m) => [m.messageId, m.headers['x-baton-idempotency-key']])).toEqual([
      [first.output.messageId, 'run_7:reset'],
      [first.output.messageId, 'run_7:reset'],
      [replay.output.messageId, 'run_8:reset'],
    ]);
  });

  it("sends from the step's own sender, to a list of recipients", async () => {
    await runAction(connector, 'send-email', {
      config: mailConfig(),
      input: { ...reset, from: 'it@corp.test', to: ['ada@example.com', 'Bob <bob@example.com>'] },
    });
    const [message] = await mailbox();
    expect(message).toMatchObject({
      from: 'it@corp.test',
      to: ['ada@example.com', 'bob@example.com'],
      messageId: expect.stringMatching(/@corp\.test>$/),
    });
  });

  it('succeeds when some recipients are refused, naming them', async () => {
    const { output, logs } = await runAction(connector, 'send-email', {
      config: mailConfig(),
      input: { ...reset, to: ['jane@example.com', 'bounce@example.com'] },
    });
    expect(output).toMatchObject({ accepted: ['jane@example.com'], rejected: ['bounce@example.com'] });
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: { rejected: ['bounce@example.com'] } }),
    );
    expect((await mailbox()).map((m) => m.envelope.to)).toEqual([['jane@example.com']]);
  });
});

describe('send-email errors', () => {
  it('fails at once when the server refuses the message for good (5xx)', async () => {
    const refused = await failure(mailConfig(), { ...reset, to: 'bounce@example.com' });
    expect(refused).toMatchObject({
      code: 'SMTP_REJECTED',
      retryable: false,
      details: { responseCode: 550, command: 'RCPT TO' },
    });
    expect(refused.message).toContain('5.1.1 <bounce@example.com>: mailbox unavailable');
    expect(await mailbox()).toEqual([]);
  });

  it('retries what the server defers (4xx), and the retry goes through once it accepts', async () => {
    expect(await failure(mailConfig(), { ...reset, to: 'tempfail@example.com' })).toMatchObject({
      code: 'SMTP_TEMPORARY_FAILURE',
      retryable: true,
      details: { responseCode: 451 },
    });
    const greylisted = { ...reset, to: 'greylist@example.com' };
    expect(await failure(mailConfig(), greylisted)).toMatchObject({
      code: 'SMTP_TEMPORARY_FAILURE',
      retryable: true,
    });
    const { output } = await runAction(connector, 'send-email', { config: mailConfig(), input: greylisted });
    expect(output).toMatchObject({ accepted: ['greylist@example.com'] });
  });

  describe('with a server that requires credentials', () => {
    let strict: RunningSandbox;
    beforeAll(async () => {
      strict = await startSandbox({ port: 0, smtpAuth: { user: 'mailer', pass: 's3cret-pass' } });
    });
    afterAll(() => strict.close());
    const strictConfig = (auth?: { user: string; pass: string }) =>
      mailConfig({ port: strict.smtp!.port, ...(auth ? { auth } : {}) });

    it('fails at once on wrong credentials, and keeps the password out of the error and the logs', async () => {
      const refused = await failure(strictConfig({ user: 'mailer', pass: CANARY_SECRET }), reset);
      expect(refused).toMatchObject({
        code: 'SMTP_AUTH_FAILED',
        retryable: false,
        details: { responseCode: 535 },
      });
      expect(JSON.stringify([serializeError(refused), refused.message, refused.logs])).not.toContain(
        CANARY_SECRET,
      );
    });

    it('fails at once when the instance has no credentials for it', async () => {
      expect(await failure(strictConfig(), reset)).toMatchObject({
        code: 'SMTP_AUTH_FAILED',
        retryable: false,
        details: { responseCode: 530 },
      });
    });

    it('authenticates with the right ones', async () => {
      await runAction(connector, 'send-email', {
        config: strictConfig({ user: 'mailer', pass: 's3cret-pass' }),
        input: reset,
      });
      expect((await mailbox(strict.url)).map((m) => m.authUser)).toEqual(['mailer']);
    });
  });

  it('retries when nothing listens', async () => {
    const port = await freePort();
    expect(await failure(mailConfig({ port }), reset)).toMatchObject({
      code: 'NETWORK_ERROR',
      retryable: true,
      details: { errno: 'ECONNREFUSED' },
    });
  });

  it('retries a server that never greets, after timeoutMs or at the step timeout', async () => {
    await using silent = await silentServer();
    expect(await failure(mailConfig({ port: silent.port, timeoutMs: 200 }), reset)).toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });
    const started = Date.now();
    expect(await failure(mailConfig({ port: silent.port }), reset, { timeoutMs: 300 })).toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses input that could forge headers, before connecting', async () => {
    const invalid = [
      { ...reset, subject: 'Hello\r\nBcc: victim@example.com' },
      { ...reset, to: 'Jane\r\nBcc: victim@example.com <jane@example.com>' },
      { ...reset, to: 'not an address' },
      { ...reset, headers: { 'Message-ID': '<mine@example.com>' } },
      { ...reset, headers: { 'X-Note': 'one\nBcc: victim@example.com' } },
      { ...reset, headers: { 'Bad Name': 'x' } },
    ];
    for (const input of invalid) {
      expect(await failure(mailConfig(), input), JSON.stringify(input)).toMatchObject({
        code: 'INPUT_INVALID',
        retryable: false,
      });
    }
    expect(await mailbox()).toEqual([]);
  });
});

describe('smtp connector', () => {
  it('needs a host and a sender', async () => {
    expect(await failure({ host: '127.0.0.1' }, reset)).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(await failure({ from: 'a@acme.test' }, reset)).toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('passes the conformance suite (its action makes no HTTP calls)', async () => {
    // The check logs in for real: a server with other credentials refuses the canary password.
    const strict = await startSandbox({ port: 0, smtpAuth: { user: 'mailer', pass: 's3cret-pass' } });
    try {
      const report = await checkConformance(connector, {
        config: (_baseUrl, secret) => ({
          host: '127.0.0.1',
          port: strict.smtp!.port,
          from: 'no-reply@acme.test',
          auth: { user: 'mailer', pass: secret },
        }),
        skipHttpChecks: ['send-email'],
      });
      expect(report.problems).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
