import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { createConnectorInstance } from '@baton/sdk/host';
import { CANARY_SECRET } from '@baton/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, silentServer } from './_test-servers';
import connector from './index';

let sandbox: RunningSandbox;
let strict: RunningSandbox;
beforeAll(async () => {
  [sandbox, strict] = await Promise.all([
    startSandbox({ port: 0 }),
    startSandbox({ port: 0, smtpAuth: { user: 'mailer', pass: 's3cret-pass' } }),
  ]);
});
afterAll(() => Promise.all([sandbox.close(), strict.close()]));

const mail = (overrides: Record<string, unknown>) =>
  createConnectorInstance(connector, { host: '127.0.0.1', from: 'no-reply@acme.test', ...overrides });
const messages = async (url: string) =>
  ((await (await fetch(`${url}/mailbox/messages`)).json()) as { messages: unknown[] }).messages;

describe('smtp limits', () => {
  it('declares 3 connections at once, as Exchange Online allows per mailbox', () => {
    expect(mail({ port: 587 }).limits).toEqual({ concurrency: 3 });
  });
});

describe('smtp check', () => {
  it('logs in with good credentials and quits, sending nothing', async () => {
    const port = strict.smtp!.port;
    await expect(
      mail({ port, auth: { user: 'mailer', pass: 's3cret-pass' } }).check(),
    ).resolves.toBeUndefined();
    await expect(mail({ port: sandbox.smtp!.port }).check()).resolves.toBeUndefined();
    expect(await messages(strict.url)).toEqual([]);
  });

  it('fails, not retryable, with the reply of a server that refuses the credentials', async () => {
    const error = await mail({ port: strict.smtp!.port, auth: { user: 'mailer', pass: CANARY_SECRET } })
      .check()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SMTP_AUTH_FAILED',
      retryable: false,
      details: { responseCode: 535 },
      message: expect.stringContaining('535 5.7.8 Authentication credentials invalid'),
    });
    expect(JSON.stringify([error, (error as Error).message])).not.toContain(CANARY_SECRET);
  });

  it('fails, retryable, when nothing listens', async () => {
    await expect(mail({ port: await freePort() }).check()).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      retryable: true,
    });
  });

  it('stops waiting for a server that never greets when the check is aborted', async () => {
    await using silent = await silentServer();
    const started = Date.now();
    await expect(
      mail({ port: silent.port }).check({ signal: AbortSignal.timeout(300) }),
    ).rejects.toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
