import type { Mailbox } from './mailbox';

/**
 * Recipients that make the mail server fail the way real ones do, as test
 * cards make the Stripe emulator decline. The local part decides, whatever
 * the domain, and a `+tag` is ignored (`bounce+42@example.com` bounces), so
 * tests can keep their addresses apart:
 *
 * | recipient | answer to `RCPT TO` |
 * |---|---|
 * | `bounce@…` | `550 5.1.1` mailbox unavailable: permanent |
 * | `tempfail@…` | `451 4.3.0` try again later: transient, every time |
 * | `greylist@…` | `451 4.7.1` the first time a sender tries it, accepted from then on (until a reset) |
 *
 * Any other recipient is accepted.
 */
export const TEST_RECIPIENTS = ['bounce', 'tempfail', 'greylist'] as const;

/** What the server answers a recipient: accept it, or an SMTP reply code and text. */
export type RecipientVerdict = { accept: true } | { accept: false; code: number; message: string };

export function recipientVerdict(mailbox: Mailbox, from: string, to: string): RecipientVerdict {
  const local = to.split('@')[0]?.split('+')[0]?.toLowerCase();
  switch (local) {
    case 'bounce':
      return { accept: false, code: 550, message: `5.1.1 <${to}>: mailbox unavailable` };
    case 'tempfail':
      return { accept: false, code: 451, message: '4.3.0 Temporary failure, try again later' };
    case 'greylist':
      return mailbox.firstAttempt(from, to)
        ? { accept: false, code: 451, message: '4.7.1 Greylisted, try again later' }
        : { accept: true };
    default:
      return { accept: true };
  }
}
