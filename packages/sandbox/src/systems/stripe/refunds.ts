import { Hono } from 'hono';
import type { SandboxState } from '../../state';
import type { StripeEnv } from './env';
import { invalidRequest, resourceMissing } from './errors';
import { stripeId, unixNow } from './ids';
import { metadata, optionalString, positiveInteger, rejectUnknown } from './params';
import type { Charge, Refund, StripeStore } from './store';

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];

/** `/v1/refunds`: refund all or part of a PaymentIntent's (or charge's) successful charge. */
export function refunds(store: StripeStore, state: SandboxState) {
  const app = new Hono<StripeEnv>();

  app.post('/', (c) => {
    const params = c.get('params');
    rejectUnknown(params, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
    const intentId = optionalString(params, 'payment_intent');
    const chargeId = optionalString(params, 'charge');
    if (!intentId && !chargeId) {
      throw invalidRequest(
        'One of the following params should be provided for this request: payment_intent or charge.',
        {
          code: 'parameter_missing',
        },
      );
    }
    const amount = params.amount === undefined ? undefined : positiveInteger(params.amount, 'amount');
    const reason = optionalString(params, 'reason');
    if (reason !== undefined && !REASONS.includes(reason)) {
      throw invalidRequest(`Invalid reason: must be one of ${REASONS.join(', ')}`, { param: 'reason' });
    }
    const meta = metadata(params);

    c.set('executing', true);
    const charge = chargeToRefund(store, intentId, chargeId);
    const refundable = store.refundable(charge);
    if (refundable === 0) {
      throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
        code: 'charge_already_refunded',
      });
    }
    if (amount !== undefined && amount > refundable) {
      throw invalidRequest(
        `Refund amount (${money(amount, charge.currency)}) is greater than unrefunded amount on charge (${money(refundable, charge.currency)})`,
        { param: 'amount', code: 'amount_too_large' },
      );
    }
    const refund: Refund = {
      id: stripeId('re'),
      object: 'refund',
      amount: amount ?? refundable,
      charge: charge.id,
      created: unixNow(),
      currency: charge.currency,
      metadata: meta,
      payment_intent: charge.payment_intent,
      reason: reason ?? null,
      status: 'succeeded',
    };
    store.refunds.set(refund.id, refund);
    charge.amount_refunded += refund.amount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    state.effect('stripe', 'refund.created', refund.id, {
      payment_intent: refund.payment_intent,
      charge: charge.id,
      amount: refund.amount,
      currency: refund.currency,
      metadata: meta,
    });
    return c.json(refund);
  });

  app.get('/:id', (c) => {
    const refund = store.refunds.get(c.req.param('id'));
    if (!refund) throw resourceMissing('refund', c.req.param('id'), 'refund');
    return c.json(refund);
  });

  return app;
}

/** `/v1/charges/:id`, to see what was charged and refunded. */
export function charges(store: StripeStore) {
  const app = new Hono<StripeEnv>();
  app.get('/:id', (c) => {
    const charge = store.charges.get(c.req.param('id'));
    if (!charge) throw resourceMissing('charge', c.req.param('id'), 'id');
    return c.json(charge);
  });
  return app;
}

function chargeToRefund(store: StripeStore, intentId?: string, chargeId?: string): Charge {
  if (chargeId) {
    const charge = store.charges.get(chargeId);
    if (!charge) throw resourceMissing('charge', chargeId, 'charge');
    if (charge.status !== 'succeeded') {
      throw invalidRequest(`Charge ${chargeId} has not succeeded and cannot be refunded.`, {
        param: 'charge',
      });
    }
    return charge;
  }
  const intent = store.intents.get(intentId ?? '');
  if (!intent) throw resourceMissing('payment_intent', intentId ?? '', 'payment_intent');
  const charge = intent.latest_charge ? store.charges.get(intent.latest_charge) : undefined;
  if (intent.status !== 'succeeded' || !charge) {
    throw invalidRequest(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, {
      param: 'payment_intent',
      code: 'charge_not_refundable',
    });
  }
  return charge;
}

function money(amount: number, currency: string): string {
  return `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
}
