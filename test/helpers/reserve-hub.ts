import { hubFolder } from './cli';

/** A connector module with one action that answers at once: runs cost only the engine's own work. */
const reserveConnector = `
import { defineAction, defineConnector } from '@baton/sdk';
import { z } from 'zod';
export default defineConnector({
  name: 'shop',
  config: z.object({}),
  actions: {
    reserve: defineAction({
      input: z.object({ sku: z.coerce.string() }),
      output: z.object({ id: z.string() }),
      async run({ input }) { return { id: 'res-' + input.sku }; },
    }),
  },
});
`;

/** A webhook source that starts the flow: its Standard Webhooks secret and the event type. */
export interface ReserveSource {
  secret: string;
  event: string;
  /** Where the step's `sku` comes from (default `{{ event.data.sku }}`). */
  sku?: string;
}

/**
 * A hub folder (see `hubFolder`) with the connector instance `shop` and
 * the flow `order`: one `shop.reserve` step per name in `steps`, each
 * after the one before, reserving `event.data.sku`. Started by hand, or
 * by `webhook`'s event on the Standard Webhooks source `shop`.
 */
export function reserveHub(steps: readonly string[] = ['stock'], webhook?: ReserveSource) {
  const sku = webhook?.sku ?? '{{ event.data.sku }}';
  return hubFolder({
    'baton.config.json': {
      connectors: { shop: { use: './connectors/shop.mjs', config: {} } },
      ...(webhook
        ? { sources: { shop: { verify: { scheme: 'standard-webhooks', secret: webhook.secret } } } }
        : {}),
    },
    'connectors/shop.mjs': reserveConnector,
    'flows/order.json': {
      id: 'order',
      ...(webhook ? { trigger: { source: 'shop', event: webhook.event } } : {}),
      steps: steps.map((id) => ({ id, action: 'shop.reserve', input: { sku } })),
    },
  });
}
