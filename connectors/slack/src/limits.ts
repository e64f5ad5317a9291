import type { ConnectorLimits } from '@baton/sdk';

/**
 * Slack's documented limit for posting messages, the default budget of
 * every instance (a config's `limits` overrides it): about one message per
 * second per channel, through `chat.postMessage` or an incoming webhook,
 * with short bursts tolerated but not guaranteed, under a workspace-wide
 * limit without a figure. `send-message` is the only action, so the budget
 * is one call per second. An instance that posts to many channels may raise
 * it; the Web API's other methods are tiered per minute (Tier 1 to 4: 1+,
 * 20+, 50+, 100+) and none is called often.
 *
 * Source: https://docs.slack.dev/apis/web-api/rate-limits
 */
export const SLACK_LIMITS: ConnectorLimits = { rate: { requests: 1, per: '1s' } };
