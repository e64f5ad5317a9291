import { Hono } from 'hono';
import { defineSystem } from '../system';
import { authenticate } from './stripe/auth';
import type { StripeEnv } from './stripe/env';
import { invalidRequest, stripeErrorHandler } from './stripe/errors';
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
 * Ledger effects: `payment_intent.created`, `charge.succeeded`,
 * `charge.failed` (ref: the PaymentIntent id) and `refund.created` (ref: the
 * refund id), each with the amount, currency and metadata.
 */
export const stripeSystem = defineSystem({
  name: 'stripe',
  prefix: '/stripe',
  description: 'Stripe PaymentIntents, PaymentMethods, refunds; test cards and idempotency keys',
  create(state) {
    const store = new StripeStore();
    state.onReset(() => store.reset());
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
