import { defineAction, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { fromWebApiFailure, fromWebhookFailure, webApiError } from '../errors';

const input = z.object({
  channel: z
    .string()
    .min(1)
    .optional()
    .describe('Channel id (`C0123…`) or name (`#ops`). Needs the bot token; without it the webhook is used.'),
  text: z
    .string()
    .min(1)
    .max(40_000)
    .describe('The message, in Slack mrkdwn; also the notification text when blocks are given.'),
  blocks: z
    .array(z.looseObject({ type: z.string().min(1) }))
    .max(50)
    .optional()
    .describe('Block Kit blocks.'),
  threadTs: z
    .string()
    .regex(/^\d+\.\d+$/, { error: 'must be a Slack message ts, such as "1700000000.000100"' })
    .optional()
    .describe("Reply in the thread of this message (its parent's `ts`)."),
});

const output = z.object({
  ok: z.boolean(),
  /** The channel id, when sent with `chat.postMessage`. */
  channel: z.string().optional(),
  /** The message timestamp (its id), when sent with `chat.postMessage`. */
  ts: z.string().optional(),
});

/** What a step gives `send-message`. */
export type SendMessageInput = z.input<typeof input>;
/** What `send-message` returns. */
export type SendMessageOutput = z.output<typeof output>;

/**
 * Sends a message: with `chat.postMessage` when the instance has a bot token
 * and the step names a channel, otherwise through the incoming webhook.
 * Slack has no idempotency key, so a retry after a lost answer can post twice.
 */
export const sendMessage = defineAction({
  description:
    'Posts a message to a channel with chat.postMessage (bot token and channel) or the incoming webhook.',
  config,
  input,
  output,
  examples: [
    {
      description: 'Post to a channel with the bot token',
      input: { channel: '#ops', text: 'Order 1042 failed: card declined' },
      output: { ok: true, channel: 'C0OPS', ts: '1700000000.000100' },
    },
    {
      description: "Post through the incoming webhook, to the webhook's channel",
      input: {
        text: 'Nightly backup done',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Nightly backup* done' } }],
      },
      output: { ok: true },
    },
  ],
  async run({ input, config, http, log }) {
    const { channel, text, blocks, threadTs } = input;
    if (config.token && channel) {
      const body = {
        channel,
        text,
        ...(blocks ? { blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      };
      const response = await http
        .post('/chat.postMessage', body, {
          headers: {
            authorization: `Bearer ${config.token}`,
            'content-type': 'application/json; charset=utf-8',
          },
        })
        .catch((error: unknown) => {
          throw fromWebApiFailure('chat.postMessage', error);
        });
      const data = response.data as { ok?: boolean; error?: string; channel?: string; ts?: string };
      if (data?.ok !== true) {
        throw webApiError('chat.postMessage', String(data?.error ?? 'unexpected_response'), response.headers);
      }
      return {
        ok: true,
        ...(data.channel ? { channel: data.channel } : {}),
        ...(data.ts ? { ts: data.ts } : {}),
      };
    }
    if (!config.webhookUrl) {
      throw new NonRetryableError(
        'send-message needs a "channel" when the instance has only a bot token (no webhookUrl)',
        { code: 'CHANNEL_REQUIRED' },
      );
    }
    if (channel)
      log.warn('channel ignored: an incoming webhook always posts to its own channel', { channel });
    const payload = { text, ...(blocks ? { blocks } : {}), ...(threadTs ? { thread_ts: threadTs } : {}) };
    await http.post(config.webhookUrl, payload, { responseType: 'text' }).catch((error: unknown) => {
      throw fromWebhookFailure(error);
    });
    return { ok: true };
  },
});
