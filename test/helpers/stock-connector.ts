/**
 * A connector module as a user writes it, to write into a hub folder: its
 * one action (`locations`) reads the sandbox inventory's locations, so a
 * test or the bench can put a provider's limit in front of it.
 */
export const STOCK_CONNECTOR_MODULE = `
import { defineAction, defineConnector } from '@baton/sdk';
import { z } from 'zod';

export default defineConnector({
  name: 'stock',
  config: z.object({ baseUrl: z.string() }),
  http: (config) => ({ baseURL: config.baseUrl, headers: { 'X-Shopify-Access-Token': 'shpat_stock' } }),
  actions: {
    locations: defineAction({
      input: z.object({ n: z.number() }),
      output: z.object({ count: z.number() }),
      async run({ http }) {
        const { data } = await http.get('/locations.json');
        return { count: data.locations.length };
      },
    }),
  },
});
`;
