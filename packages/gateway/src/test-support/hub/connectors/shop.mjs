import { defineAction, defineConnector, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';

export default defineConnector({
  name: 'shop',
  config: z.object({ apiKey: z.string() }),
  actions: {
    reserve: defineAction({
      input: z.object({ sku: z.string(), qty: z.number() }),
      output: z.object({ reservation: z.string(), remaining: z.number() }),
      async run({ input }) {
        if (input.sku === 'missing') throw new NonRetryableError('no such sku', { code: 'UNKNOWN_SKU' });
        return { reservation: `res-${input.sku}`, remaining: 10 - input.qty };
      },
    }),
    notify: defineAction({
      input: z.object({ text: z.string() }),
      output: z.object({ sent: z.boolean() }),
      async run() {
        return { sent: true };
      },
    }),
  },
});
