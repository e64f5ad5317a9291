import { Hono } from 'hono';
import { createCardPaymentMethod } from './charge';
import type { StripeEnv } from './env';
import { docUrl, invalidRequest, resourceMissing, StripeApiError } from './errors';
import { positiveInteger, rejectUnknown, required } from './params';
import type { StripeStore } from './store';
import { brandOf, cardByNumber, LIVE_CARD_IN_TEST_MODE, passesLuhn } from './test-cards';

/**
 * `/v1/payment_methods`: cards made from raw test numbers (such as
 * 4242424242424242 or 4000000000000002), so flows can be tried with the
 * numbers from Stripe's testing page as well as with `pm_card_…` ids.
 */
export function paymentMethods(store: StripeStore) {
  const app = new Hono<StripeEnv>();

  app.post('/', (c) => {
    const params = c.get('params');
    rejectUnknown(params, ['type', 'card', 'billing_details', 'metadata', 'expand']);
    if (required(params, 'type') !== 'card') {
      throw invalidRequest('The sandbox emulates card payment methods only.', { param: 'type' });
    }
    const card = required(params, 'card') as Record<string, unknown>;
    if (typeof card !== 'object') throw invalidRequest('Invalid hash', { param: 'card' });
    const number = String(card.number ?? '').replaceAll(' ', '');
    if (!number)
      throw invalidRequest('Missing required param: card[number].', {
        param: 'card[number]',
        code: 'parameter_missing',
      });
    const expMonth = positiveInteger(card.exp_month ?? '', 'card[exp_month]');
    const expYear = positiveInteger(card.exp_year ?? '', 'card[exp_year]');
    if (!passesLuhn(number)) {
      throw new StripeApiError(402, {
        type: 'card_error',
        code: 'incorrect_number',
        message: 'Your card number is incorrect.',
        param: 'number',
        doc_url: docUrl('incorrect_number'),
      });
    }
    c.set('executing', true);
    const known = cardByNumber(number);
    const method = createCardPaymentMethod(
      store,
      {
        number,
        brand: known?.brand ?? brandOf(number),
        funding: known?.funding ?? 'credit',
        expMonth,
        expYear,
      },
      known?.outcome ?? LIVE_CARD_IN_TEST_MODE,
    );
    return c.json(method);
  });

  app.get('/:id', (c) => {
    const method = store.paymentMethods.get(c.req.param('id'));
    if (!method) throw resourceMissing('PaymentMethod', c.req.param('id'), 'payment_method');
    return c.json(method);
  });

  return app;
}
