import type { SandboxState } from '../../state';
import { docUrl, resourceMissing, StripeApiError } from './errors';
import { type CausingRequest, sendIntentEvent } from './events';
import { stripeId, unixNow } from './ids';
import type { Charge, PaymentIntent, PaymentMethod, StripeStore } from './store';
import { type CardOutcome, cardByAlias, type TestCard } from './test-cards';

/** Card details a PaymentMethod is made from. */
export interface CardDetails {
  number: string;
  brand: TestCard['brand'];
  funding: TestCard['funding'];
  expMonth: number;
  expYear: number;
}

/** Stores a new card PaymentMethod and what charging it will do. */
export function createCardPaymentMethod(
  store: StripeStore,
  card: CardDetails,
  outcome: CardOutcome,
): PaymentMethod {
  const method: PaymentMethod = {
    id: stripeId('pm'),
    object: 'payment_method',
    type: 'card',
    card: {
      brand: card.brand,
      last4: card.number.slice(-4),
      exp_month: card.expMonth,
      exp_year: card.expYear,
      funding: card.funding,
      country: 'US',
    },
    created: unixNow(),
    customer: null,
    livemode: false,
    metadata: {},
  };
  store.paymentMethods.set(method.id, method);
  store.outcomes.set(method.id, outcome);
  return method;
}

/**
 * The PaymentMethod an id names: one created earlier, or a fresh one for a
 * test id such as `pm_card_visa` (Stripe, too, makes a new PaymentMethod
 * each time a test id is used).
 */
export function resolvePaymentMethod(store: StripeStore, id: string): PaymentMethod {
  const existing = store.paymentMethods.get(id);
  if (existing) return existing;
  const card = cardByAlias(id);
  if (!card) throw resourceMissing('PaymentMethod', id, 'payment_method');
  const nextYear = new Date().getUTCFullYear() + 1;
  return createCardPaymentMethod(
    store,
    { number: card.number, brand: card.brand, funding: card.funding, expMonth: 12, expYear: nextYear },
    card.outcome,
  );
}

/**
 * Confirms a PaymentIntent that has a PaymentMethod: charges it, asks for
 * authentication, or records the decline and throws Stripe's 402
 * `card_error` (the intent goes back to `requires_payment_method`).
 */
export function confirmIntent(
  store: StripeStore,
  state: SandboxState,
  intent: PaymentIntent,
  options: { offSession: boolean; request?: CausingRequest },
): void {
  const methodId = intent.payment_method;
  if (!methodId) throw new Error('confirmIntent needs a payment method');
  let outcome: CardOutcome = store.outcomes.get(methodId) ?? { kind: 'succeed' };
  if (outcome.kind === 'authenticate') {
    if (!options.offSession) {
      intent.status = 'requires_action';
      intent.next_action = { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect' } };
      sendIntentEvent(state, 'payment_intent.requires_action', intent, options.request);
      return;
    }
    // Nobody is there to authenticate an off-session payment: the issuer declines it.
    outcome = {
      kind: 'decline',
      code: 'authentication_required',
      declineCode: 'authentication_required',
      message: 'Your card was declined. This transaction requires authentication.',
    };
  }
  chargeIntent(store, state, intent, outcome, options.request);
}

/**
 * Charges a PaymentIntent's PaymentMethod with a known outcome: it succeeds,
 * or the decline is recorded and thrown as Stripe's 402 `card_error` (the
 * intent goes back to `requires_payment_method`). Either way the intent's
 * event goes to the webhook endpoint.
 */
export function chargeIntent(
  store: StripeStore,
  state: SandboxState,
  intent: PaymentIntent,
  outcome: Exclude<CardOutcome, { kind: 'authenticate' }>,
  request: CausingRequest | undefined,
): void {
  const methodId = intent.payment_method;
  if (!methodId) throw new Error('chargeIntent needs a payment method');
  const charge = recordCharge(store, intent, methodId, outcome);
  intent.latest_charge = charge.id;
  intent.next_action = null;
  if (outcome.kind === 'succeed') {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.last_payment_error = null;
    state.effect('stripe', 'charge.succeeded', intent.id, {
      charge: charge.id,
      amount: intent.amount,
      currency: intent.currency,
      metadata: intent.metadata,
    });
    sendIntentEvent(state, 'payment_intent.succeeded', intent, request);
    return;
  }
  const method = store.paymentMethods.get(methodId);
  const error = {
    type: 'card_error' as const,
    code: outcome.code,
    ...(outcome.declineCode ? { decline_code: outcome.declineCode } : {}),
    message: outcome.message,
    doc_url: docUrl(outcome.code),
    charge: charge.id,
  };
  intent.status = 'requires_payment_method';
  intent.payment_method = null;
  intent.last_payment_error = { ...error, payment_method: method };
  state.effect('stripe', 'charge.failed', intent.id, {
    charge: charge.id,
    amount: intent.amount,
    currency: intent.currency,
    code: outcome.code,
    ...(outcome.declineCode ? { decline_code: outcome.declineCode } : {}),
    metadata: intent.metadata,
  });
  sendIntentEvent(state, 'payment_intent.payment_failed', intent, request);
  throw new StripeApiError(402, { ...error, payment_intent: { ...intent }, payment_method: method });
}

function recordCharge(
  store: StripeStore,
  intent: PaymentIntent,
  methodId: string,
  outcome: Exclude<CardOutcome, { kind: 'authenticate' }>,
): Charge {
  const succeeded = outcome.kind === 'succeed';
  const charge: Charge = {
    id: stripeId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: succeeded ? intent.amount : 0,
    amount_refunded: 0,
    captured: succeeded,
    created: unixNow(),
    currency: intent.currency,
    failure_code: succeeded ? null : outcome.code,
    failure_message: succeeded ? null : outcome.message,
    livemode: false,
    metadata: intent.metadata,
    paid: succeeded,
    payment_intent: intent.id,
    payment_method: methodId,
    refunded: false,
    status: succeeded ? 'succeeded' : 'failed',
  };
  store.charges.set(charge.id, charge);
  return charge;
}
