import { z } from 'zod';
import { mailbox } from './address';

/**
 * The instance config in `baton.config.json`:
 *
 * ```json
 * "mail": {
 *   "use": "@baton/connector-smtp",
 *   "config": {
 *     "host": "smtp.example.com",
 *     "port": 587,
 *     "auth": { "user": "apikey", "pass": { "$env": "SMTP_PASSWORD" } },
 *     "from": "Acme <no-reply@acme.example>"
 *   }
 * }
 * ```
 */
export const config = z.object({
  /** The mail server's host name or address. */
  host: z.string().min(1).describe("The mail server's host name or IP address."),
  /** @default 465 when `secure`, 587 otherwise */
  port: z.number().int().min(1).max(65_535).optional().describe('The port; 465 when secure, 587 otherwise.'),
  /**
   * TLS from the first byte (port 465). When false the connection upgrades
   * with STARTTLS if the server offers it.
   * @default false
   */
  secure: z
    .boolean()
    .default(false)
    .describe('TLS from the start (port 465); otherwise STARTTLS when the server offers it.'),
  /** Credentials for AUTH PLAIN or LOGIN; `pass` is a secret, kept out of logs, errors and run records. */
  auth: z
    .strictObject({
      user: z.string().min(1),
      pass: z.string().min(1).describe('A secret: give it as { "$env": "NAME" }.'),
    })
    .optional()
    .describe('Credentials, when the server asks for them.'),
  /** The sender when a step gives none: `no-reply@acme.example` or `Acme <no-reply@acme.example>`. */
  from: mailbox.describe('The sender when a step gives none.'),
  /**
   * How long to wait for the connection, the server's greeting and each of
   * its answers. The step's own `timeout` bounds the whole send.
   * @default 30000
   */
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(600_000)
    .default(30_000)
    .describe('Milliseconds to wait for the connection, the greeting and each answer.'),
});

export type SmtpConfig = z.output<typeof config>;
