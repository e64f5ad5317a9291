import type { ConnectorLimits } from '@baton/sdk';

/**
 * At most 3 messages in flight at once, the default of every instance (a
 * config's `limits` overrides it). SMTP has no standard limit; mail
 * services cap the connections one account opens, and each send opens its
 * own connection. Exchange Online, the strictest common one, allows three
 * concurrent connections per mailbox for SMTP AUTH submission, and refuses
 * a fourth with `432 4.3.2 Concurrent connections limit exceeded`. It also
 * allows 30 messages per minute, which its users may add as a `rate`.
 *
 * Source: https://learn.microsoft.com/en-us/exchange/troubleshoot/send-emails/smtp-submission-improvements
 */
export const SMTP_LIMITS: ConnectorLimits = { concurrency: 3 };
