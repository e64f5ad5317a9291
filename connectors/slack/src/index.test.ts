import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { checkConformance, createTestServer, runAction } from '@baton/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import connector from './index';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

const token = 'xoxb-sandbox-test-token';
const bot = () => ({ baseUrl: `${sandbox.url}/slack/api`, token });
const hook = (channel = 'B0OPS') => ({
  webhookUrl: `${sandbox.url}/slack/services/T0BATON/${channel}/hook-secret-1`,
});

const posted = () => sandbox.state.effects.filter((e) => e.system === 'slack' && e.kind === 'message.posted');

async function failure(config: unknown, input: unknown) {
  return runAction(connector, 'send-message', { config, input }).then(
    () => {
      throw new Error('expected the action to fail');
    },
    (error: unknown) => error as { code: string; retryable: boolean; retryAfterMs?: number; message: string },
  );
}

describe('send-message with chat.postMessage', () => {
  it('posts to the named channel and returns its id and the ts', async () => {
    const { output } = await runAction(connector, 'send-message', {
      config: bot(),
      input: { channel: '#it-onboarding', text: 'Welcome Ada', blocks: [{ type: 'divider' }] },
    });
    expect(output).toEqual({ ok: true, channel: 'C0ITONBOARD', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    expect(posted()).toEqual([
      expect.objectContaining({
        ref: (output as { ts: string }).ts,
        data: expect.objectContaining({
          channelName: 'it-onboarding',
          text: 'Welcome Ada',
          via: 'chat.postMessage',
        }),
      }),
    ]);
  });

  it('replies in a thread', async () => {
    const first = await runAction<{ ts: string }>(connector, 'send-message', {
      config: bot(),
      input: { channel: 'C0OPS', text: 'Incident opened' },
    });
    await runAction(connector, 'send-message', {
      config: bot(),
      input: { channel: 'C0OPS', text: 'Mitigated', threadTs: first.output.ts },
    });
    expect(posted()[1]?.data).toMatchObject({ threadTs: first.output.ts });
  });

  it('maps ok:false answers to non-retryable errors coded with the Slack error', async () => {
    const notFound = await failure(bot(), { channel: '#nowhere', text: 'x' });
    expect(notFound).toMatchObject({ code: 'channel_not_found', retryable: false });
    expect(notFound.message).toContain('channel_not_found');
    expect(await failure(bot(), { channel: '#old-announcements', text: 'x' })).toMatchObject({
      code: 'is_archived',
      retryable: false,
    });
    expect(
      await failure({ ...bot(), token: 'not-a-slack-token' }, { channel: '#ops', text: 'x' }),
    ).toMatchObject({
      code: 'invalid_auth',
      retryable: false,
    });
    expect(posted()).toEqual([]);
  });

  it('honours Retry-After on 429 and retries server errors', async () => {
    await fetch(`${sandbox.url}/_sandbox/faults/slack`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimit: { retryAfter: 7, count: 1 } }),
    });
    expect(await failure(bot(), { channel: '#ops', text: 'x' })).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 7000,
    });
    await fetch(`${sandbox.url}/_sandbox/faults/slack`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ statuses: [503] }),
    });
    expect(await failure(bot(), { channel: '#ops', text: 'x' })).toMatchObject({ retryable: true });
    const { output } = await runAction(connector, 'send-message', {
      config: bot(),
      input: { channel: '#ops', text: 'x' },
    });
    expect(output).toMatchObject({ ok: true, channel: 'C0OPS' });
  });

  it('treats Slack transient errors as retryable and ratelimited bodies as rate limits', async () => {
    await using server = await createTestServer((request) =>
      request.parsed && (request.parsed as { text: string }).text === 'slow'
        ? { status: 429, headers: { 'retry-after': '2' }, json: { ok: false, error: 'ratelimited' } }
        : { json: { ok: false, error: 'internal_error' } },
    );
    const config = { baseUrl: server.url, token };
    expect(await failure(config, { channel: '#ops', text: 'x' })).toMatchObject({
      code: 'internal_error',
      retryable: true,
    });
    expect(await failure(config, { channel: '#ops', text: 'slow' })).toMatchObject({
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(server.requests[0]?.parsed).toEqual({ channel: '#ops', text: 'x' });
  });
});

describe('send-message through the incoming webhook', () => {
  it("posts to the webhook's channel and answers ok", async () => {
    const { output } = await runAction(connector, 'send-message', {
      config: hook(),
      input: { text: 'Backup done', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*done*' } }] },
    });
    expect(output).toEqual({ ok: true });
    expect(posted()).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ channelName: 'ops', via: 'incoming-webhook' }),
      }),
    ]);
  });

  it('uses the webhook when the step names no channel, even with a token', async () => {
    await runAction(connector, 'send-message', {
      config: { ...bot(), ...hook('B0GENERAL') },
      input: { text: 'hi' },
    });
    expect(posted()[0]?.data).toMatchObject({ channelName: 'general', via: 'incoming-webhook' });
  });

  it('maps webhook refusals to non-retryable errors coded with the reason, without the URL', async () => {
    const archived = await failure(hook('B0OLDNEWS'), { text: 'x' });
    expect(archived).toMatchObject({ code: 'channel_is_archived', retryable: false });
    expect(archived.message).not.toContain('hook-secret-1');
    const noService = await failure({ webhookUrl: `${sandbox.url}/slack/services/T0BATON` }, { text: 'x' });
    expect(noService).toMatchObject({ code: 'no_service', retryable: false });
  });

  it('keeps throttled webhooks retryable with Retry-After', async () => {
    await fetch(`${sandbox.url}/_sandbox/faults/slack`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimit: { retryAfter: 3, count: 1 } }),
    });
    expect(await failure(hook(), { text: 'x' })).toMatchObject({ retryable: true, retryAfterMs: 3000 });
  });

  it('asks for a channel when only a bot token is configured', async () => {
    expect(await failure(bot(), { text: 'x' })).toMatchObject({ code: 'CHANNEL_REQUIRED', retryable: false });
  });
});

describe('slack config', () => {
  it('needs a token or a webhook URL', async () => {
    await expect(
      runAction(connector, 'send-message', { config: {}, input: { text: 'x' } }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });

  it('passes the conformance suite with a bot token and with a webhook', async () => {
    const withToken = await checkConformance(connector, {
      config: (baseUrl, secret) => ({ baseUrl, token: secret }),
    });
    expect(withToken.problems).toEqual([]);
    const withHook = await checkConformance(connector, {
      config: (baseUrl, secret) => ({ webhookUrl: `${baseUrl}/services/T0/B0/${secret}` }),
      inputs: { 'send-message': { text: 'hello' } },
    });
    expect(withHook.problems).toEqual([]);
  });
});
