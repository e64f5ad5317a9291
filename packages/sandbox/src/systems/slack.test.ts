import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { slackSystem } from './slack';

function sandbox() {
  return createSandboxApp({ systems: [slackSystem] });
}

const bot = { authorization: 'Bearer xoxb-sandbox-test', 'content-type': 'application/json' };

function post(
  app: ReturnType<typeof sandbox>['app'],
  path: string,
  body: unknown,
  headers: Record<string, string> = bot,
) {
  return app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** The parsed JSON answer, untyped like the wire. */
async function read(res: Response) {
  return JSON.parse(await res.text());
}

describe('slack sandbox: chat.postMessage', () => {
  it('posts to a seeded channel by name and records the message', async () => {
    const { app, state } = sandbox();
    const res = await post(app, '/slack/api/chat.postMessage', {
      channel: '#ops',
      text: 'Disk almost full',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Disk* almost full' } }],
    });
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body).toMatchObject({ ok: true, channel: 'C0OPS', message: { text: 'Disk almost full' } });
    expect(body.ts).toMatch(/^\d+\.\d{6}$/);
    expect(state.effects).toEqual([
      expect.objectContaining({
        system: 'slack',
        kind: 'message.posted',
        ref: body.ts,
        data: expect.objectContaining({ channel: 'C0OPS', channelName: 'ops', via: 'chat.postMessage' }),
      }),
    ]);
  });

  it('answers HTTP 200 with ok:false and Slack error strings', async () => {
    const { app, state } = sandbox();
    const cases: Array<[unknown, Record<string, string>, string]> = [
      [{ channel: '#nowhere', text: 'x' }, bot, 'channel_not_found'],
      [{ channel: '#old-announcements', text: 'x' }, bot, 'is_archived'],
      [{ channel: 'C0GENERAL', text: '' }, bot, 'no_text'],
      [{ channel: 'general', text: 'x'.repeat(40_001) }, bot, 'msg_too_long'],
      [{ channel: 'general', text: 'x', blocks: [{ text: 'no type' }] }, bot, 'invalid_blocks'],
      [{ channel: 'general', text: 'x' }, { 'content-type': 'application/json' }, 'not_authed'],
      [
        { channel: 'general', text: 'x' },
        { authorization: 'Bearer nope', 'content-type': 'application/json' },
        'invalid_auth',
      ],
    ];
    for (const [body, headers, error] of cases) {
      const res = await post(app, '/slack/api/chat.postMessage', body, headers);
      expect(res.status).toBe(200);
      expect(await read(res)).toEqual({ ok: false, error });
    }
    expect(state.effects).toEqual([]);
  });

  it('accepts form-encoded calls with the token and blocks as fields', async () => {
    const { app } = sandbox();
    const form = new URLSearchParams({
      token: 'xoxb-form',
      channel: 'C0ITONBOARD',
      text: 'Welcome',
      blocks: JSON.stringify([{ type: 'divider' }]),
      thread_ts: '1700000000.000001',
    });
    const res = await app.request('/slack/api/chat.postMessage', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(await read(res)).toMatchObject({
      ok: true,
      channel: 'C0ITONBOARD',
      message: { blocks: [{ type: 'divider' }], thread_ts: '1700000000.000001' },
    });
  });

  it('reads messages back with conversations.history, newest first, paged by cursor', async () => {
    const { app } = sandbox();
    for (const text of ['one', 'two', 'three']) {
      await post(app, '/slack/api/chat.postMessage', { channel: '#general', text });
    }
    const first = await read(
      await app.request('/slack/api/conversations.history?channel=C0GENERAL&limit=2', { headers: bot }),
    );
    expect(first.messages.map((m: { text: string }) => m.text)).toEqual(['three', 'two']);
    expect(first.has_more).toBe(true);
    const cursor = encodeURIComponent(first.response_metadata.next_cursor);
    const second = await read(
      await app.request(`/slack/api/conversations.history?channel=C0GENERAL&limit=2&cursor=${cursor}`, {
        headers: bot,
      }),
    );
    expect(second.messages.map((m: { text: string }) => m.text)).toEqual(['one']);
    expect(second).toMatchObject({ has_more: false, response_metadata: { next_cursor: '' } });
  });

  it('answers unknown methods like Slack', async () => {
    const { app } = sandbox();
    const res = await post(app, '/slack/api/chat.fly', {});
    expect(res.status).toBe(404);
    expect(await read(res)).toEqual({ ok: false, error: 'unknown_method' });
  });
});

describe('slack sandbox: incoming webhooks', () => {
  const json = { 'content-type': 'application/json' };

  it('posts to the channel the webhook is bound to and answers "ok"', async () => {
    const { app, state } = sandbox();
    const res = await post(app, '/slack/services/T0BATON/B0OPS/s3cr3t', { text: 'Deploy done' }, json);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    const other = await post(app, '/slack/services/T1/BANYTHING/x', { text: 'hi' }, json);
    expect(await other.text()).toBe('ok');
    expect(state.effects.map((e) => e.data?.channelName)).toEqual(['ops', 'general']);
    expect(state.effects[0]?.data).toMatchObject({ text: 'Deploy done', via: 'incoming-webhook' });
  });

  it('takes a form-encoded payload field', async () => {
    const { app, state } = sandbox();
    const res = await app.request('/slack/services/T1/B0GENERAL/x', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ payload: JSON.stringify({ text: 'from a form' }) }).toString(),
    });
    expect(await res.text()).toBe('ok');
    expect(state.effects[0]?.data?.text).toBe('from a form');
  });

  it('answers errors as status and plain text', async () => {
    const { app, state } = sandbox();
    const cases: Array<[string, string, number, string]> = [
      ['/slack/services/T1/B1', '{"text":"x"}', 404, 'no_service'],
      ['/slack/services/T1/B0OLDNEWS/x', '{"text":"x"}', 410, 'channel_is_archived'],
      ['/slack/services/T1/B1/x', '{not json', 400, 'invalid_payload'],
      ['/slack/services/T1/B1/x', '{"text":""}', 400, 'no_text'],
      ['/slack/services/T1/B1/x', '{"text":"x","blocks":"nope"}', 400, 'invalid_payload'],
    ];
    for (const [path, body, status, text] of cases) {
      const res = await app.request(path, { method: 'POST', headers: json, body });
      expect([res.status, await res.text()]).toEqual([status, text]);
    }
    expect(state.effects).toEqual([]);
  });

  it('forgets messages on reset', async () => {
    const { app, state } = sandbox();
    await post(app, '/slack/api/chat.postMessage', { channel: '#general', text: 'before' });
    await app.request('/_sandbox/reset', { method: 'POST' });
    const history = await read(
      await app.request('/slack/api/conversations.history?channel=general', { headers: bot }),
    );
    expect(history.messages).toEqual([]);
    expect(state.effects).toEqual([]);
  });
});
