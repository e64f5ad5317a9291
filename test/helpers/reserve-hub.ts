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
      input: z.object({ sku: z.string() }),
      output: z.object({ id: z.string() }),
      async run({ input }) { return { id: 'res-' + input.sku }; },
    }),
  },
});
`;

/**
 * A hub folder (see `hubFolder`) with the connector instance `shop` and
 * the flow `order`, started by hand: one `shop.reserve` step per name in
 * `steps`, each after the one before, reserving `event.data.sku`.
 */
export function reserveHub(steps: readonly string[] = ['stock']) {
  return hubFolder({
    'baton.config.json': { connectors: { shop: { use: './connectors/shop.mjs', config: {} } } },
    'connectors/shop.mjs': reserveConnector,
    'flows/order.json': {
      id: 'order',
      steps: steps.map((id) => ({ id, action: 'shop.reserve', input: { sku: '{{ event.data.sku }}' } })),
    },
  });
}
