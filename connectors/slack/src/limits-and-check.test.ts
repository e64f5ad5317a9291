import { createTestServer } from '@baton/sdk/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { loopbackInstances, useSandbox } from '../../shared/testing';
import connector from './index';

const sandbox = useSandbox();
beforeEach(() => sandbox.state.reset());

const instance = loopbackInstances(connector);
const hook = (bot: string) => `${sandbox.url}/slack/services/T0BATON/${bot}/hook-secret-1`;
const posted = () => sandbox.state.effects.filter((e) => e.system === 'slack' && e.kind === 'message.posted');

/** Slack's `auth.test`, as slack.com answers it (the sandbox does not emulate this method). */
const authTest = (token: string) =>
  createTestServer((request) =>
    request.headers.authorization === `Bearer ${token}`
      ? {
          json: {
            ok: true,
            url: 'https://acme.slack.com/',
            team: 'Acme',
            user: 'baton',
            team_id: 'T0BATON',
            user_id: 'U0BATON',
            bot_id: 'B0BATONBOT',
          },
        }
      : { json: { ok: false, error: 'invalid_auth' } },
  );

describe('slack limits', () => {
  it("declares one message per second, Slack's posting limit", () => {
    expect(instance({ token: 'xoxb-1' }).limits).toEqual({ rate: { requests: 1, per: '1s' } });
  });
});

describe('slack check', () => {
  it('passes for a live incoming webhook, posting nothing', async () => {
    await expect(instance({ webhookUrl: hook('B0OPS') }).check()).resolves.toBeUndefined();
    expect(posted()).toEqual([]);
    expect(sandbox.state.requests.filter((r) => r.system === 'slack').at(-1)).toMatchObject({
      method: 'POST',
      status: 400,
    });
  });

  it('fails, not retryable, for a webhook Slack no longer serves, with its reason', async () => {
    await expect(instance({ webhookUrl: hook('B0OLDNEWS') }).check()).rejects.toMatchObject({
      code: 'channel_is_archived',
      retryable: false,
    });
    const removed = await instance({ webhookUrl: `${sandbox.url}/slack/services/T0BATON` })
      .check()
      .catch((e: unknown) => e);
    expect(removed).toMatchObject({ code: 'no_service', retryable: false });
    expect(JSON.stringify(removed)).not.toContain('T0BATON');
  });

  it("passes for a bot token auth.test accepts, and fails with Slack's error for another", async () => {
    await using slack = await authTest('xoxb-good-token');
    await expect(instance({ baseUrl: slack.url, token: 'xoxb-good-token' }).check()).resolves.toBeUndefined();
    expect(slack.requests[0]).toMatchObject({ method: 'POST', path: '/auth.test' });
    await expect(instance({ baseUrl: slack.url, token: 'xoxb-revoked-token' }).check()).rejects.toMatchObject(
      {
        code: 'invalid_auth',
        retryable: false,
        message: 'Slack auth.test failed: invalid_auth',
      },
    );
  });

  it('checks both credentials when the instance has both', async () => {
    await using slack = await authTest('xoxb-good-token');
    const both = instance({ baseUrl: slack.url, token: 'xoxb-good-token', webhookUrl: hook('B0OLDNEWS') });
    await expect(both.check()).rejects.toMatchObject({ code: 'channel_is_archived' });
    expect(slack.requests).toHaveLength(1);
  });
});
