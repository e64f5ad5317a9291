import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { opsSystem } from './ops';

describe('ops sandbox: items (what a scaffolded connector calls)', () => {
  it('creates an item once per name, honours Idempotency-Key, and forgets them on reset', async () => {
    const { app, state } = createSandboxApp({ systems: [opsSystem] });
    const post = (body: unknown, key?: string) =>
      app.request('/ops/items', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
        body: JSON.stringify(body),
      });
    const created = await post({ name: 'Widget', quantity: 2 }, 'run-1:create');
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 'ITM-1001', name: 'Widget', quantity: 2 });
    // A retry with the same key gets the saved answer; a new request for the name is a conflict.
    expect((await post({ name: 'Widget', quantity: 2 }, 'run-1:create')).status).toBe(201);
    const conflict = await post({ name: 'Widget' }, 'run-2:create');
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: 'item_exists' } });
    expect((await post({ quantity: 1 })).status).toBe(400);
    expect(state.effects.map((e) => [e.kind, e.ref])).toEqual([['item.created', 'ITM-1001']]);
    const listed = (await (await app.request('/ops/items')).json()) as { items: unknown[] };
    expect(listed.items).toHaveLength(1);

    state.reset();
    expect(((await (await app.request('/ops/items')).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await post({ name: 'Widget' })).status).toBe(201);
  });
});
