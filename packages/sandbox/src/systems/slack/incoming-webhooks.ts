import { Hono } from 'hono';
import type { SandboxState } from '../../state';
import { checkMessage, readFields } from './message';
import type { SlackWorkspace } from './workspace';

/**
 * Incoming webhooks, `POST /services/T…/B…/<secret>`, shaped like
 * https://hooks.slack.com: plain-text answers, `ok` on success, HTTP
 * statuses and short error strings otherwise. Any team and secret is
 * accepted; the `B…` segment picks the channel (`B0OPS` posts to #ops,
 * unknown ones to #general), as each real webhook is bound to one channel.
 */
export function incomingWebhooks(workspace: SlackWorkspace, state: SandboxState) {
  const app = new Hono();

  app.post('/*', async (c) => {
    const segments = c.req.path.split('/services/')[1]?.split('/').filter(Boolean) ?? [];
    if (segments.length < 3) return c.text('no_service', 404);
    const channel = workspace.channelOfHook(segments[1]);
    if (channel.isArchived) return c.text('channel_is_archived', 410);
    const fields = await readFields(c.req);
    // Form-encoded webhooks carry the JSON in a `payload` field.
    const payload = typeof fields?.payload === 'string' ? parseObject(fields.payload) : fields;
    if (!payload) return c.text('invalid_payload', 400);
    const message = checkMessage(payload.text, payload.blocks);
    if (!message.ok) {
      return c.text(message.error === 'no_text' ? 'no_text' : 'invalid_payload', 400);
    }
    const posted = workspace.post({
      channel: channel.id,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      via: 'incoming-webhook',
    });
    state.effect('slack', 'message.posted', posted.ts, {
      channel: channel.id,
      channelName: channel.name,
      text: posted.text,
      ...(posted.blocks ? { blocks: posted.blocks } : {}),
      via: posted.via,
    });
    return c.text('ok');
  });

  return app;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
