import { Hono } from 'hono';
import { defineSystem } from '../system';
import { incomingWebhooks } from './slack/incoming-webhooks';
import { webApi } from './slack/web-api';
import { SlackWorkspace } from './slack/workspace';

/**
 * Slack: incoming webhooks under `/slack/services/…` and the Web API under
 * `/slack/api/<method>` (`chat.postMessage`, `conversations.history`).
 * Channels #general, #ops, #it-onboarding and the archived
 * #old-announcements. Every posted message is a `message.posted` effect in
 * the ledger (`GET /_sandbox/ledger?system=slack&kind=message.posted`).
 */
export const slackSystem = defineSystem({
  name: 'slack',
  prefix: '/slack',
  description: 'Slack incoming webhooks and Web API (chat.postMessage, conversations.history)',
  errorBody: (status) => ({ ok: false, error: status === 429 ? 'ratelimited' : 'service_unavailable' }),
  create(state) {
    const workspace = new SlackWorkspace();
    state.onReset(() => workspace.reset());
    const app = new Hono();
    app.route('/services', incomingWebhooks(workspace, state));
    app.route('/api', webApi(workspace, state));
    return app;
  },
});
