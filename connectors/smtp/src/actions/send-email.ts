import { createHash } from 'node:crypto';
import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { addressOf, mailbox, mailboxes } from '../address';
import { config } from '../config';
import { fromSmtpFailure } from '../errors';
import { createMailer } from '../transport';

/** Carries the step's idempotency key, so a retried send can be told from a new one. */
export const IDEMPOTENCY_HEADER = 'X-Baton-Idempotency-Key';

/** Headers the connector writes from the input's own fields, or for itself. */
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  IDEMPOTENCY_HEADER.toLowerCase(),
]);

const oneLine = (what: string) =>
  z.string().regex(/^[^\r\n]*$/, { error: `${what} must be one line (no line breaks)` });

const input = z.object({
  to: mailboxes.describe(
    'Recipient, or a list of them: "jane@example.com" or "Jane Doe <jane@example.com>".',
  ),
  subject: oneLine('subject').max(998).describe('The subject line.'),
  text: z.string().max(5_000_000).describe('The plain-text body.'),
  html: z
    .string()
    .max(5_000_000)
    .optional()
    .describe('An HTML body, sent beside the text as an alternative.'),
  from: mailbox.optional().describe("The sender; the instance's `from` when absent."),
  cc: mailboxes.optional().describe('Copy recipients.'),
  bcc: mailboxes.optional().describe('Blind copy recipients: in the envelope, not in the headers.'),
  replyTo: mailboxes.optional().describe('Where replies go.'),
  headers: z
    .record(
      z
        .string()
        .regex(/^[!-9;-~]+$/, { error: 'a header name is printable ASCII without spaces or colons' })
        .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), {
          error: 'set by the input fields or by the connector; give it through its field instead',
        }),
      oneLine('a header value').max(998),
    )
    .optional()
    .describe(
      'Extra headers, such as List-Unsubscribe. From, To, Subject, Message-ID … come from the fields.',
    ),
});

const output = z.object({
  /** The `Message-ID` header of the message, derived from the idempotency key. */
  messageId: z.string(),
  /** Recipients the server accepted. */
  accepted: z.array(z.string()),
  /** Recipients the server refused while it accepted others; empty when every one was accepted. */
  rejected: z.array(z.string()),
});

/** What a step gives `send-email`. */
export type SendEmailInput = z.input<typeof input>;
/** What `send-email` returns. */
export type SendEmailOutput = z.output<typeof output>;

/**
 * Sends one email over SMTP. Its `Message-ID` is derived from the step's
 * idempotency key and the key is sent in `X-Baton-Idempotency-Key`, so a
 * send retried after a lost answer carries the same id as the first: mail
 * clients and archives that deduplicate by `Message-ID` show it once, and an
 * operator can tell a retry from a second send. SMTP itself cannot refuse a
 * duplicate, so the copy may still be delivered.
 */
export const sendEmail = defineAction({
  description: 'Sends an email (text, optional HTML) through the SMTP server of the instance.',
  config,
  input,
  output,
  examples: [
    {
      description: 'A password reset link',
      input: {
        to: 'Jane Doe <jane@example.com>',
        subject: 'Reset your password',
        text: 'Open https://acme.example/reset?token=abc123 within the hour to choose a new password.',
        html: '<p><a href="https://acme.example/reset?token=abc123">Choose a new password</a> within the hour.</p>',
      },
      output: {
        messageId: '<4f9c2d8e0a1b3c5d7e9f1a2b3c4d5e6f@acme.example>',
        accepted: ['jane@example.com'],
        rejected: [],
      },
    },
    {
      description: 'A notice to several recipients, with a copy and a reply address',
      input: {
        to: ['ops@acme.example', 'it@acme.example'],
        cc: 'audit@acme.example',
        replyTo: 'helpdesk@acme.example',
        subject: 'Laptop ordered for Ada Lovelace',
        text: 'Order HW-1042 is on its way.',
        headers: { 'X-Priority': '3' },
      },
    },
  ],
  async run({ input, config, idempotencyKey, log, signal }) {
    const from = input.from ?? config.from;
    const messageId = messageIdFor(idempotencyKey, from);
    const mailer = createMailer(config);
    try {
      const sent = await mailer.sendMail({
        from,
        to: input.to,
        ...(input.cc ? { cc: input.cc } : {}),
        ...(input.bcc ? { bcc: input.bcc } : {}),
        ...(input.replyTo ? { replyTo: input.replyTo } : {}),
        subject: input.subject,
        text: input.text,
        ...(input.html !== undefined ? { html: input.html } : {}),
        messageId,
        headers: { ...input.headers, [IDEMPOTENCY_HEADER]: idempotencyKey },
        signal,
      });
      const accepted = sent.accepted.map(String);
      const rejected = sent.rejected.map(String);
      if (rejected.length > 0) log.warn('the mail server refused some recipients', { rejected });
      return { messageId: sent.messageId || messageId, accepted, rejected };
    } catch (error) {
      throw fromSmtpFailure(error);
    } finally {
      mailer.close();
    }
  },
});

/**
 * `<hash of the key@the sender's domain>`: the same for every attempt of a
 * step, new for a replay (which gets a new key), and free of whatever
 * characters the key holds.
 */
function messageIdFor(idempotencyKey: string, from: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  const domain = addressOf(from).split('@').pop() || 'baton.invalid';
  return `<${digest}@${domain}>`;
}
