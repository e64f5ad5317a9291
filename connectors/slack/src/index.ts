/**
 * `@baton/connector-slack`: posts messages to Slack through an incoming
 * webhook or `chat.postMessage`.
 *
 * @example
 * ```json
 * { "id": "tell-ops", "action": "notify.send-message", "input": { "channel": "#ops", "text": "Deployed" } }
 * ```
 *
 * @module
 */
import { defineConnector } from '@baton/sdk';
import pkg from '../package.json' with { type: 'json' };
import { sendMessage } from './actions/send-message';
import { checkCredentials } from './check';
import { config } from './config';
import { SLACK_LIMITS } from './limits';

export type { SendMessageInput, SendMessageOutput } from './actions/send-message';
export type { SlackConfig } from './config';

/** The Slack connector. Use it in `baton.config.json` as `"use": "@baton/connector-slack"`. */
export default defineConnector({
  name: 'slack',
  version: pkg.version,
  description: 'Slack messages through incoming webhooks or chat.postMessage.',
  config,
  http: (cfg) => ({ baseURL: cfg.baseUrl }),
  // Found by key name already: `token`. The webhook URL is a secret too.
  secrets: (cfg) => [cfg.webhookUrl],
  limits: SLACK_LIMITS,
  check: checkCredentials,
  actions: {
    'send-message': sendMessage,
  },
});
