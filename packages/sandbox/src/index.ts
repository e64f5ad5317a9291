/**
 * `@baton/sandbox`: local emulators of the business systems Baton connects,
 * for development, demos, tests and benchmarks. Each system lives under its
 * own prefix; `/_sandbox` controls faults, the ledger and resets.
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
export { type MailboxMessage, mailboxOf, type SmtpAddress } from './mail/mailbox';
export type { SmtpCredentials } from './mail/smtp-server';
export { type RunningSandbox, type StartSandboxOptions, startSandbox } from './server';
export { type FaultPlan, type LedgerEffect, type LedgerRequest, SandboxState } from './state';
export { defineSystem, type SandboxSystem } from './system';
export { createHubspotSystem, type HubspotSystemOptions } from './systems/hubspot';
export { systems } from './systems/index';
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
