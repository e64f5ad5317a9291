import { Hono } from 'hono';
import type { SandboxState } from '../../state';
import { checkMessage, readFields } from './message';
import type { SlackWorkspace } from './workspace';

const BOT_ID = 'B0BATONBOT';

/**
 * The Web API methods the sandbox knows, under `/api/<method>`, shaped like
 * https://slack.com/api: HTTP 200 with `{ ok: false, error }` for errors,
 * bearer token (or a `token` field) required.
 */
export function webApi(workspace: SlackWorkspace, state: SandboxState) {
  const app = new Hono();

  app.post('/chat.postMessage', async (c) => {
    const fields = await readFields(c.req);
    if (!fields) return c.json({ ok: false, error: 'invalid_json' });
    const auth = authError(c.req.header('authorization'), fields.token);
    if (auth) return c.json({ ok: false, error: auth });
    const channel = typeof fields.channel === 'string' ? workspace.channel(fields.channel) : undefined;
    if (!channel) return c.json({ ok: false, error: 'channel_not_found' });
    if (channel.isArchived) return c.json({ ok: false, error: 'is_archived' });
    const message = checkMessage(fields.text, fields.blocks);
    if (!message.ok) return c.json({ ok: false, error: message.error });
    const threadTs = typeof fields.thread_ts === 'string' && fields.thread_ts ? fields.thread_ts : undefined;
    const posted = workspace.post({
      channel: channel.id,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      ...(threadTs ? { threadTs } : {}),
      via: 'chat.postMessage',
    });
    state.effect('slack', 'message.posted', posted.ts, {
      channel: channel.id,
      channelName: channel.name,
      text: posted.text,
      ...(posted.blocks ? { blocks: posted.blocks } : {}),
      ...(threadTs ? { threadTs } : {}),
      via: posted.via,
    });
    return c.json({
      ok: true,
      channel: channel.id,
      ts: posted.ts,
      message: {
        type: 'message',
        subtype: 'bot_message',
        bot_id: BOT_ID,
        text: posted.text,
        ts: posted.ts,
        ...(posted.blocks ? { blocks: posted.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      },
    });
  });

  // Read back what was posted, newest first, with Slack's cursor pagination.
  app.on(['GET', 'POST'], '/conversations.history', async (c) => {
    const fields = c.req.method === 'GET' ? c.req.query() : ((await readFields(c.req)) ?? {});
    const auth = authError(c.req.header('authorization'), fields.token);
    if (auth) return c.json({ ok: false, error: auth });
    const channel = typeof fields.channel === 'string' ? workspace.channel(fields.channel) : undefined;
    if (!channel) return c.json({ ok: false, error: 'channel_not_found' });
    const limit = Math.min(Math.max(Number(fields.limit ?? 100) || 100, 1), 999);
    const offset = decodeCursor(fields.cursor);
    if (offset === undefined) return c.json({ ok: false, error: 'invalid_cursor' });
    const all = workspace.messages.filter((m) => m.channel === channel.id).reverse();
    const page = all.slice(offset, offset + limit);
    const hasMore = offset + limit < all.length;
    return c.json({
      ok: true,
      messages: page.map((m) => ({
        type: 'message',
        text: m.text,
        ts: m.ts,
        ...(m.blocks ? { blocks: m.blocks } : {}),
        ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
      })),
      has_more: hasMore,
      response_metadata: { next_cursor: hasMore ? encodeCursor(offset + limit) : '' },
    });
  });

  app.all('/:method', (c) => c.json({ ok: false, error: 'unknown_method' }, 404));
  return app;
}

/** Slack tokens start with `xox` (`xoxb-` for bots, `xoxp-` for users). */
function authError(header: string | undefined, field: unknown): string | undefined {
  const token = header?.match(/^Bearer\s+(.+)$/i)?.[1] ?? (typeof field === 'string' ? field : undefined);
  if (!token) return 'not_authed';
  if (!token.startsWith('xox')) return 'invalid_auth';
  return undefined;
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeCursor(cursor: unknown): number | undefined {
  if (cursor === undefined || cursor === '') return 0;
  if (typeof cursor !== 'string') return undefined;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
