/**
 * `@baton/sandbox`: local emulators of the business systems Baton connects,
 * for development, demos, tests and benchmarks. Each system lives under its
 * own prefix; `/_sandbox` controls faults, rate limits, the ledger and
 * resets. An OAuth2 token endpoint (`oauth`) issues the tokens HubSpot takes.
 *
 * @example
 * ```ts
 * import { startSandbox } from '@baton/sandbox';
 * const sandbox = await startSandbox({ port: 0 });
 * // connectors: { "payment": { "use": "@baton/connector-stripe", "config": { "baseUrl": `${sandbox.url}/stripe` } } }
 * await sandbox.close();
 * ```
 *
 * @module
 */
export { createSandboxApp, type SandboxAppOptions } from './app';
export type {
  RateLimitHeaders,
  SystemLimitStats,
  SystemLimits,
  SystemPause,
  SystemRateLimit,
} from './limits/system-limits';
export { type MailboxMessage, mailboxOf, type SmtpAddress } from './mail/mailbox';
export type { SmtpCredentials } from './mail/smtp-server';
export {
  type AccessTokenStatus,
  type OAuthAuthority,
  type OAuthSettings,
  type OAuthStats,
  oauthAuthorityOf,
  type TokenResponse,
} from './oauth/authority';
export {
  OAUTH_ACCESS_TOKEN_PREFIX,
  SANDBOX_OAUTH_CLIENT_ID,
  SANDBOX_OAUTH_CLIENT_SECRET,
  SANDBOX_OAUTH_REFRESH_TOKEN,
} from './oauth/constants';
export { type RunningSandbox, type StartSandboxOptions, startSandbox } from './server';
export { type FaultPlan, type LedgerEffect, type LedgerRequest, SandboxState } from './state';
export { defineSystem, type SandboxSystem } from './system';
export { createHubspotSystem, type HubspotSystemOptions } from './systems/hubspot';
export { systems } from './systems/index';
export { oauthSystem } from './systems/oauth';
export type { WebhookEndpointOptions } from './webhooks/endpoint';
export { newEventId, STRIPE_API_VERSION, type WebhookEvent, webhookBody } from './webhooks/envelope';
export type {
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryStatus,
  WebhookOutbox,
} from './webhooks/outbox';
export {
  type SignedWebhook,
  type SignWebhookOptions,
  signWebhook,
  WEBHOOK_SCHEMES,
  type WebhookScheme,
} from './webhooks/sign';
