import { Hono } from 'hono';
import { defineSystem } from '../system';
import { authenticate } from './stripe/auth';
import { authenticationControl } from './stripe/authentication';
import type { StripeEnv } from './stripe/env';
import { docUrl, invalidRequest, stripeErrorHandler } from './stripe/errors';
import { STRIPE_WEBHOOK_EVENTS } from './stripe/events';
import { idempotency } from './stripe/idempotency';
import { paymentIntents } from './stripe/payment-intents';
import { paymentMethods } from './stripe/payment-methods';
import { charges, refunds } from './stripe/refunds';
import { StripeStore } from './stripe/store';

/**
 * Stripe, under `/stripe/v1/…` (point a Stripe client's base URL at
 * `<sandbox>/stripe`): PaymentIntents (create, confirm, retrieve),
 * PaymentMethods from test card numbers, refunds and charges, with form or
 * JSON bodies, Bearer or Basic auth, Stripe's idempotency semantics and its
 * error shapes. Cards behave as Stripe's test cards: `pm_card_visa`
 * succeeds, `pm_card_visa_chargeDeclinedInsufficientFunds` is a 402
 * `card_declined` / `insufficient_funds`, `pm_card_threeDSecure2Required`
 * needs authentication.
 *
 * Webhooks (once `PUT /_sandbox/webhooks/stripe` sets an endpoint):
 * `payment_intent.succeeded`, `payment_intent.payment_failed` and
 * `payment_intent.requires_action`, as Event objects signed with
 * `Stripe-Signature`, `delayMs` after the call that caused them.
 * `POST /_sandbox/stripe/payment_intents/:id/authenticate` completes a
 * 3-D Secure challenge as the customer would.
 *
 * Ledger effects: `payment_intent.created`, `charge.succeeded`,
 * `charge.failed`, `payment_intent.authentication_failed` (ref: the
 * PaymentIntent id) and `refund.created` (ref: the refund id), each with the
 * amount, currency and metadata; `webhook.sent` and `webhook.failed` (ref:
 * the event id).
 */
export const stripeSystem = defineSystem({
  name: 'stripe',
  prefix: '/stripe',
  description: 'Stripe PaymentIntents, PaymentMethods, refunds; test cards and idempotency keys',
  webhooks: STRIPE_WEBHOOK_EVENTS,
  errorBody: (status, message) => ({
    error:
      status === 429
        ? { type: 'invalid_request_error', code: 'rate_limit', message, doc_url: docUrl('rate_limit') }
        : { type: 'api_error', message },
  }),
  create(state, control) {
    const store = new StripeStore();
    state.onReset(() => store.reset());
    control.route('/', authenticationControl(store, state));
    const app = new Hono<StripeEnv>();
    app.onError(stripeErrorHandler);
    app.use('/v1/*', authenticate(), idempotency(store));
    app.route('/v1/payment_intents', paymentIntents(store, state));
    app.route('/v1/payment_methods', paymentMethods(store));
    app.route('/v1/refunds', refunds(store, state));
    app.route('/v1/charges', charges(store));
    app.all('/v1/*', (c) => {
      throw invalidRequest(
        `Unrecognized request URL (${c.req.method}: ${c.req.path.slice(c.req.path.indexOf('/v1/'))}).`,
        {
          status: 404,
        },
      );
    });
    const root = new Hono();
    root.route('/', app);
    return root;
  },
});
