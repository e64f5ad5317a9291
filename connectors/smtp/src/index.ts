/**
 * `@baton/connector-smtp`: sends email through any SMTP server, with
 * nodemailer.
 *
 * @example
 * ```json
 * { "id": "reset-mail", "action": "mail.send-email",
 *   "input": { "to": "{{ event.data.email }}", "subject": "Reset your password", "text": "{{ event.data.link }}" } }
 * ```
 *
 * @module
 */
import { defineConnector } from '@baton/sdk';
import pkg from '../package.json' with { type: 'json' };
import { sendEmail } from './actions/send-email';
import { checkCredentials } from './check';
import { config } from './config';
import { SMTP_LIMITS } from './limits';

export type { SendEmailInput, SendEmailOutput } from './actions/send-email';
export type { SmtpConfig } from './config';

/** The SMTP connector. Use it in `baton.config.json` as `"use": "@baton/connector-smtp"`. */
export default defineConnector({
  name: 'smtp',
  version: pkg.version,
  description: 'Email through any SMTP server.',
  config,
  // `pass` is not a name the SDK recognises as a secret by itself.
  secrets: (cfg) => [cfg.auth?.pass],
  limits: SMTP_LIMITS,
  check: checkCredentials,
  actions: {
    'send-email': sendEmail,
  },
});
