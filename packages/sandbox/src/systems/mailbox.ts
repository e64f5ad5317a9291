import { Hono } from 'hono';
import { mailboxOf } from '../mail/mailbox';
import { defineSystem } from '../system';

/**
 * Mail: a real SMTP server on its own port (`startSandbox({ smtpPort })`,
 * `baton sandbox --smtp-port`, 2525 by default) delivers every message into
 * one mailbox, which this system reads over HTTP:
 * - `GET /mailbox`: where the SMTP server listens, and how many messages
 * - `GET /mailbox/messages?to=`: the messages, oldest first (newest last),
 *   `to` keeping those with that recipient (To, Cc or Bcc)
 * - `GET /mailbox/messages/:id`: one message
 * - `DELETE /mailbox/messages`: empty the mailbox (`POST /_sandbox/reset` does too)
 *
 * Recipients `bounce@…` (550), `tempfail@…` (451) and `greylist@…` (451
 * once, then accepted) fail on purpose (see `mail/test-addresses.ts`).
 * Every accepted message is an `email.received` effect in the ledger.
 */
export const mailboxSystem = defineSystem({
  name: 'mailbox',
  prefix: '/mailbox',
  description: 'Mail server (SMTP on its own port) and the mailbox of what it received',
  create(state) {
    const mailbox = mailboxOf(state);
    const app = new Hono();

    app.get('/', (c) => c.json({ smtp: mailbox.smtp, messages: mailbox.messages.length }));

    app.get('/messages', (c) => {
      const to = c.req.query('to')?.toLowerCase();
      const messages = to
        ? mailbox.messages.filter((m) => m.envelope.to.some((address) => address.toLowerCase() === to))
        : mailbox.messages;
      return c.json({ messages });
    });

    app.get('/messages/:id', (c) => {
      const message = mailbox.find(c.req.param('id'));
      if (message) return c.json(message);
      return c.json(
        { error: { type: 'not_found', message: `sandbox: no message ${c.req.param('id')} in the mailbox` } },
        404,
      );
    });

    app.delete('/messages', (c) => {
      mailbox.clear();
      return c.body(null, 204);
    });

    return app;
  },
});
