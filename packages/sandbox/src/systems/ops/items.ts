import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../../state';
import { IdSequence, opsError, readBody } from './http';

const itemInput = z.object({
  name: z.string().min(1),
  quantity: z.number().int().positive().default(1),
});

interface Item {
  id: string;
  name: string;
  quantity: number;
  createdAt: string;
}

/**
 * A plain items API, the one the example action of `baton new connector`'s
 * scaffold calls, so a fresh connector runs in a hub against the sandbox
 * before it is pointed at its real system: `POST /items` creates one (409
 * `item_exists` when the name is taken, which the scaffold maps to a
 * non-retryable error), `GET /items`.
 */
export function itemsApi(state: SandboxState) {
  const items = new Map<string, Item>();
  const ids = new IdSequence('ITM');
  const app = new Hono();

  app.post('/', async (c) => {
    const body = await readBody(c, itemInput);
    if ('answer' in body) return body.answer;
    const { name, quantity } = body.data;
    if (items.has(name)) return opsError(c, 409, 'item_exists', `An item named "${name}" exists`);
    const item: Item = { id: ids.take(), name, quantity, createdAt: new Date().toISOString() };
    items.set(name, item);
    state.effect('ops', 'item.created', item.id, { name, quantity });
    return c.json(item, 201);
  });

  app.get('/', (c) => c.json({ items: [...items.values()] }));

  return {
    app,
    reset() {
      items.clear();
      ids.reset();
    },
  };
}
