import { defineAction, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';

/**
 * Creates an item. Replace it with your API's first real call: one action
 * per file, named verb-noun.
 */
export const createItem = defineAction({
  description: 'Creates an item and returns its id.',
  config,
  input: z.object({
    name: z.string().min(1),
    quantity: z.number().int().positive().default(1),
  }),
  output: z.object({ id: z.string(), name: z.string() }),
  examples: [{ input: { name: 'Widget', quantity: 2 }, output: { id: 'item_1', name: 'Widget' } }],
  async run({ input, http, idempotencyKey, log }) {
    log.info('creating item', { name: input.name });
    const response = await http.post('/items', input, {
      // The same key on every retry of this step: the API creates one item.
      headers: { 'Idempotency-Key': idempotencyKey },
      validateStatus: (status) => status < 400 || status === 409,
    });
    if (response.status === 409) {
      throw new NonRetryableError(`An item named "${input.name}" already exists`, { code: 'ITEM_EXISTS' });
    }
    return { id: String(response.data.id), name: String(response.data.name) };
  },
});
