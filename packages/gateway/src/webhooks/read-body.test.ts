import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../errors';
import { BodyBudget } from './body-budget';
import { readBody } from './read-body';

/** An app whose one route reads the body within `budget` (off Node: Hono's web request). */
function reader(budget: BodyBudget) {
  const app = new Hono();
  app.post('/', async (c) => {
    try {
      const body = await readBody(c, 100, c.req.header('content-length') ?? null, budget);
      return c.text(`read ${body.byteLength}`);
    } catch (error) {
      return c.text((error as GatewayError).code, (error as GatewayError).status as 503);
    }
  });
  return app;
}

const stream = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });

describe('readBody off Node, within a budget', () => {
  it('counts a declared body up front and a streamed one as it comes, giving both back after', async () => {
    const budget = new BodyBudget(20, 10);
    const app = reader(budget);
    const declared = await app.request('/', {
      method: 'POST',
      body: 'x'.repeat(30),
      headers: { 'content-length': '30' },
    });
    expect(await declared.text()).toBe('read 30');
    const streamed = await app.request('/', {
      method: 'POST',
      body: stream('x'.repeat(15), 'x'.repeat(15)),
      duplex: 'half',
    } as RequestInit);
    expect(await streamed.text()).toBe('read 30');
    expect(budget.inUse).toBe(0);
  });

  it('answers BUSY when the body does not fit beside what others hold', async () => {
    const budget = new BodyBudget(20, 10);
    const held = budget.grow(0, 25); // another request holds 15
    const app = reader(budget);
    const declared = await app.request('/', {
      method: 'POST',
      body: 'x'.repeat(20),
      headers: { 'content-length': '20' },
    });
    expect([declared.status, await declared.text()]).toEqual([503, 'BUSY']);
    const streamed = await app.request('/', {
      method: 'POST',
      body: stream('x'.repeat(10), 'x'.repeat(10)),
      duplex: 'half',
    } as RequestInit);
    expect([streamed.status, await streamed.text()]).toEqual([503, 'BUSY']);
    expect(budget.inUse).toBe(held);
  });
});
