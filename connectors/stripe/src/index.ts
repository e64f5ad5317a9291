/**
 * `@baton/connector-stripe`: Stripe PaymentIntents and refunds, with the
 * step's idempotency key sent as `Idempotency-Key` (one charge however
 * often a step is retried) and declines reported with Stripe's decline code.
 *
 * @example
 * ```json
 * { "id": "charge", "action": "payment.create-payment-intent",
 *   "input": { "amount": "{{ event.data.total }}", "currency": "usd", "payment_method": "{{ event.data.paymentMethod }}", "confirm": true },
 *   "compensate": { "action": "payment.refund", "input": { "payment_intent": "{{ steps.charge.output.id }}" } } }
 * ```
 *
 * @module
 */
import { defineConnector } from '@baton/sdk';
import pkg from '../package.json' with { type: 'json' };
import { confirmPaymentIntent } from './actions/confirm-payment-intent';
import { createPaymentIntent } from './actions/create-payment-intent';
import { getPaymentIntent } from './actions/get-payment-intent';
import { refund } from './actions/refund';
import { checkCredentials } from './check';
import { httpSetup } from './client';
import { config } from './config';
import { stripeLimits } from './limits';

export type { ConfirmPaymentIntentInput } from './actions/confirm-payment-intent';
export type { CreatePaymentIntentInput } from './actions/create-payment-intent';
export type { GetPaymentIntentInput } from './actions/get-payment-intent';
export type { RefundInput } from './actions/refund';
export type { StripeConfig } from './config';
export type { PaymentIntent, Refund } from './schemas';

/** The Stripe connector. Use it in `baton.config.json` as `"use": "@baton/connector-stripe"`. */
export default defineConnector({
  name: 'stripe',
  version: pkg.version,
  description: 'Stripe PaymentIntents and refunds, with idempotency keys and decline codes.',
  config,
  http: httpSetup,
  limits: stripeLimits,
  check: checkCredentials,
  actions: {
    'create-payment-intent': createPaymentIntent,
    'confirm-payment-intent': confirmPaymentIntent,
    'get-payment-intent': getPaymentIntent,
    refund,
  },
});
