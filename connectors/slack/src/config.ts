import { z } from 'zod';

/**
 * The instance config in `baton.config.json`. Give an incoming webhook URL,
 * a bot token, or both:
 *
 * ```json
 * "notify": {
 *   "use": "@baton/connector-slack",
 *   "config": { "token": { "$env": "SLACK_BOT_TOKEN" }, "webhookUrl": { "$env": "SLACK_WEBHOOK_URL" } }
 * }
 * ```
 */
export const config = z
  .object({
    /** The Web API base URL. Point it at the sandbox (`…/slack/api`) in development. */
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://slack.com/api'),
    /** A bot token (`xoxb-…`) with `chat:write`; used for `chat.postMessage` when a step names a channel. */
    token: z.string().min(1).optional(),
    /**
     * An incoming webhook URL (`https://hooks.slack.com/services/T…/B…/…`). It is a
     * secret: anyone holding it can post to its channel.
     */
    webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .refine((value) => value.token !== undefined || value.webhookUrl !== undefined, {
    error: 'Give a bot "token", an incoming "webhookUrl", or both',
  });

export type SlackConfig = z.output<typeof config>;
