import { type Context, Hono } from 'hono';
import type { SandboxState } from '../../state';
import { confirmIntent, resolvePaymentMethod } from './charge';
import type { StripeEnv, StripeParams } from './env';
import { invalidRequest, resourceMissing } from './errors';
import type { CausingRequest } from './events';
import { stripeId, unixNow } from './ids';
import {
  currency,
  metadata,
  optionalBoolean,
  optionalString,
  positiveInteger,
  rejectUnknown,
  required,
} from './params';
import type { PaymentIntent, StripeStore } from './store';

/** Parameters Stripe accepts that change nothing the sandbox emulates. */
const ACCEPTED_AND_IGNORED = [
  'expand',
  'return_url',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'setup_future_usage',
  'shipping',
  'automatic_payment_methods',
  'error_on_requires_action',
  'use_stripe_sdk',
];

const CREATE_PARAMS = [
  'amount',
  'currency',
  'customer',
  'payment_method',
  'payment_method_types',
  'confirm',
  'capture_method',
  'description',
  'metadata',
  'receipt_email',
  'off_session',
  ...ACCEPTED_AND_IGNORED,
];

const CONFIRM_PARAMS = ['payment_method', 'receipt_email', 'off_session', ...ACCEPTED_AND_IGNORED];

/**
 * `/v1/payment_intents`: create (optionally confirming at once), retrieve
 * and confirm. Card outcomes follow Stripe's test cards.
 */
export function paymentIntents(store: StripeStore, state: SandboxState) {
  const app = new Hono<StripeEnv>();

  app.post('/', (c) => {
    const params = c.get('params');
    rejectUnknown(params, CREATE_PARAMS);
    const amount = positiveInteger(required(params, 'amount'), 'amount');
    const code = currency(required(params, 'currency'));
    const customer = optionalString(params, 'customer');
    if (customer !== undefined && !customer.startsWith('cus_')) {
      throw resourceMissing('customer', customer, 'customer');
    }
    const captureMethod = optionalString(params, 'capture_method');
    if (captureMethod !== undefined && captureMethod !== 'automatic' && captureMethod !== 'automatic_async') {
      throw invalidRequest(
        `The sandbox emulates automatic capture only; capture_method=${captureMethod} is not supported.`,
        {
          param: 'capture_method',
        },
      );
    }
    const methodId = optionalString(params, 'payment_method');
    const confirm = optionalBoolean(params, 'confirm') ?? false;
    const offSession = optionalBoolean(params, 'off_session') ?? false;
    if (confirm && !methodId) {
      throw invalidRequest(
        "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
        { code: 'payment_intent_unexpected_state' },
      );
    }
    const fields = {
      description: optionalString(params, 'description') ?? null,
      receipt_email: optionalString(params, 'receipt_email') ?? null,
      metadata: metadata(params),
      payment_method_types: paymentMethodTypes(params),
    };

    c.set('executing', true);
    const method = methodId ? resolvePaymentMethod(store, methodId) : undefined;
    const id = stripeId('pi');
    const intent: PaymentIntent = {
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      capture_method: 'automatic',
      client_secret: `${id}_secret_${stripeId('s').slice(2)}`,
      confirmation_method: 'automatic',
      created: unixNow(),
      currency: code,
      customer: customer ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      next_action: null,
      payment_method: method?.id ?? null,
      status: method ? 'requires_confirmation' : 'requires_payment_method',
      ...fields,
    };
    store.intents.set(id, intent);
    state.effect('stripe', 'payment_intent.created', id, {
      amount,
      currency: code,
      metadata: intent.metadata,
    });
    if (confirm) confirmIntent(store, state, intent, { offSession, request: causingRequest(c) });
    return c.json(intent);
  });

  app.get('/:id', (c) => c.json(find(store, c.req.param('id'))));

  app.post('/:id/confirm', (c) => {
    const params = c.get('params');
    rejectUnknown(params, CONFIRM_PARAMS);
    const methodId = optionalString(params, 'payment_method');
    const offSession = optionalBoolean(params, 'off_session') ?? false;
    const receiptEmail = optionalString(params, 'receipt_email');

    c.set('executing', true);
    const intent = find(store, c.req.param('id'));
    if (intent.status === 'succeeded' || intent.status === 'canceled') {
      throw invalidRequest(
        intent.status === 'succeeded'
          ? 'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.'
          : 'You cannot confirm this PaymentIntent because it has a status of canceled.',
        { code: 'payment_intent_unexpected_state' },
      );
    }
    if (methodId) intent.payment_method = resolvePaymentMethod(store, methodId).id;
    if (!intent.payment_method) {
      throw invalidRequest(
        "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent, provide a payment_method.",
        { code: 'payment_intent_unexpected_state' },
      );
    }
    if (receiptEmail) intent.receipt_email = receiptEmail;
    confirmIntent(store, state, intent, { offSession, request: causingRequest(c) });
    return c.json(intent);
  });

  return app;
}

function causingRequest(c: Context<StripeEnv>): CausingRequest {
  const idempotencyKey = c.req.header('idempotency-key');
  return { id: c.get('requestId'), ...(idempotencyKey ? { idempotencyKey } : {}) };
}

function find(store: StripeStore, id: string): PaymentIntent {
  const intent = store.intents.get(id);
  if (!intent) throw resourceMissing('payment_intent', id, 'intent');
  return intent;
}

function paymentMethodTypes(params: StripeParams): string[] {
  const value = params.payment_method_types;
  if (value === undefined) return ['card'];
  const types = Array.isArray(value)
    ? value
    : typeof value === 'object' && value
      ? Object.values(value)
      : [value];
  for (const type of types) {
    if (type !== 'card') {
      throw invalidRequest(`The sandbox emulates card payments only; "${String(type)}" is not supported.`, {
        param: 'payment_method_types',
      });
    }
  }
  return ['card'];
}
