import { hubFolder } from '../helpers/cli';

/** The signing secret of the hub's `shop` source (Standard Webhooks). */
export const SHOP_SECRET = `whsec_${Buffer.from('dashboard-test-signing-key-0123').toString('base64')}`;

/** Environment the hub's `$env` values read. */
export const checkoutEnv = { SHOP_SECRET, PAY_KEY: 'sk_dashboard_canary_7c1d' };

/**
 * One payment connector used as two instances: `pay` always times out (so
 * every charge is retried, then rerouted) and `backup` works. The carrier
 * refuses an order's first shipment, so the first run of an order fails
 * (and compensates) while its replay succeeds.
 */
const payConnector = `
import { defineAction, defineConnector, RetryableError } from '@baton/sdk';
import { z } from 'zod';

export default defineConnector({
  name: 'pay',
  config: z.object({ mode: z.enum(['primary', 'backup']), apiKey: z.string() }),
  actions: {
    charge: defineAction({
      input: z.object({ amount: z.number(), order: z.string() }),
      output: z.object({ id: z.string(), amount: z.number() }),
      async run({ input, config }) {
        if (config.mode === 'primary') throw new RetryableError('the payment gateway timed out', { code: 'GATEWAY_TIMEOUT' });
        return { id: 'ch_' + input.order, amount: input.amount };
      },
    }),
    refund: defineAction({
      input: z.object({ charge: z.string() }),
      output: z.object({ refunded: z.boolean() }),
      async run() { return { refunded: true }; },
    }),
  },
});
`;

const shopConnector = `
import { defineAction, defineConnector, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';

const refusedOnce = new Set();
export default defineConnector({
  name: 'shop',
  config: z.object({}),
  actions: {
    reserve: defineAction({
      input: z.object({ sku: z.string(), qty: z.number() }),
      output: z.object({ id: z.string(), remaining: z.number() }),
      async run({ input }) { return { id: 'res_' + input.sku, remaining: 10 - input.qty }; },
    }),
    release: defineAction({
      input: z.object({ reservation: z.string() }),
      output: z.object({ released: z.boolean() }),
      async run() { return { released: true }; },
    }),
    ship: defineAction({
      input: z.object({ order: z.string() }),
      output: z.object({ tracking: z.string() }),
      async run({ input }) {
        if (!refusedOnce.has(input.order)) {
          refusedOnce.add(input.order);
          throw new NonRetryableError('the carrier refused the label', { code: 'LABEL_REFUSED' });
        }
        return { tracking: 'trk_' + input.order };
      },
    }),
    notify: defineAction({
      input: z.object({ text: z.string() }),
      output: z.object({ sent: z.boolean() }),
      async run() { return { sent: true }; },
    }),
  },
});
`;

/** The checkout flow: reserve, charge (retry, then fallback), ship, a conditional receipt, onFailure. */
export const checkoutFlow = {
  id: 'checkout',
  name: 'Checkout',
  trigger: { source: 'shop', event: 'order.created', if: '{{ event.data.data.total > 0 }}' },
  steps: [
    {
      id: 'reserve',
      action: 'shop.reserve',
      input: { sku: '{{ event.data.data.sku }}', qty: '{{ event.data.data.qty }}' },
      compensate: { action: 'shop.release', input: { reservation: '{{ steps.reserve.output.id }}' } },
    },
    {
      id: 'charge',
      action: 'pay.charge',
      input: { amount: '{{ event.data.data.total }}', order: '{{ event.data.data.order }}' },
      retry: { maxAttempts: 2, initialInterval: '250ms' },
      fallback: [{ action: 'backup.charge' }],
      compensate: { action: 'backup.refund', input: { charge: '{{ steps.charge.output.id }}' } },
    },
    { id: 'ship', action: 'shop.ship', input: { order: '{{ event.data.data.order }}' } },
    {
      id: 'receipt',
      action: 'shop.notify',
      needs: ['charge'],
      if: '{{ event.data.data.total > 100 }}',
      continueOnError: true,
      input: { text: 'Receipt for {{ event.data.data.order }}' },
    },
  ],
  onFailure: [
    {
      id: 'alert-ops',
      action: 'shop.notify',
      input: { text: 'order {{ event.data.data.order }} failed: {{ run.error.message }}' },
    },
  ],
};

/** A flow started by hand that waits an hour before its step: a run that stays active, to cancel. */
export const restockFlow = {
  id: 'restock',
  name: 'Restock',
  steps: [
    { id: 'cool-off', delay: '1h' },
    { id: 'notify', action: 'shop.notify', input: { text: 'restock {{ event.data.sku }}' } },
  ],
};

/**
 * A hub folder with the checkout and restock flows, their connectors and the
 * `shop` source, plus `flows` (by id) when a test needs more; remove it when done.
 */
export function checkoutHub(flows: Record<string, object> = {}) {
  return hubFolder({
    'baton.config.json': {
      flows: './flows',
      connectors: {
        shop: { use: './connectors/shop.mjs', config: {} },
        pay: {
          use: './connectors/pay.mjs',
          config: { mode: 'primary', apiKey: { $env: 'PAY_KEY' } },
          breaker: { failureThreshold: 3, resetAfter: '5m' },
        },
        backup: { use: './connectors/pay.mjs', config: { mode: 'backup', apiKey: { $env: 'PAY_KEY' } } },
      },
      sources: { shop: { verify: { scheme: 'standard-webhooks', secret: { $env: 'SHOP_SECRET' } } } },
    },
    'connectors/pay.mjs': payConnector,
    'connectors/shop.mjs': shopConnector,
    'flows/checkout.json': checkoutFlow,
    'flows/restock.json': restockFlow,
    ...Object.fromEntries(Object.entries(flows).map(([id, flow]) => [`flows/${id}.json`, flow])),
  });
}
