import { describe, expect, it } from 'vitest';
import { type FixtureGateway, fixtureCopies } from '../test-support/fixture-copy';

/**
 * The ordering key over the admin API: runs started by hand are ordered by
 * the flow's `trigger.orderKey` too, and `GET /api/runs/:id` says whose
 * turn a queued run waits for.
 */
describe('ordered runs, through the admin API', () => {
  const serve = fixtureCopies('order');
  let gw: FixtureGateway | undefined;

  async function start() {
    // An approval holds the customer's key until someone decides.
    const flow = {
      id: 'refunds',
      trigger: { source: 'shop', event: 'refund.requested', orderKey: '{{ event.data.customer }}' },
      steps: [{ id: 'ok', approval: { title: 'Refund {{ event.data.customer }}?' } }],
    };
    gw = await serve(flow);
    return gw;
  }

  const trigger = async (data: unknown) => {
    const answer = await gw!.app.request('/api/flows/refunds/trigger', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data }),
    });
    expect(answer.status).toBe(202);
    return ((await answer.json()) as { runId: string }).runId;
  };
  const read = async (runId: string) =>
    (await (await gw!.app.request(`/api/runs/${runId}`)).json()) as {
      status: string;
      orderKey?: string;
      waitingFor?: unknown;
    };
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 250 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
  };

  it('shows the order key, and behind which run a queued run waits', async () => {
    await start();
    const first = await trigger({ customer: 'ann' });
    const second = await trigger({ customer: 'ann' });
    const other = await trigger({ customer: 'bob' });
    await until(async () => (await read(other)).status === 'waiting');
    await until(async () => (await read(first)).status === 'waiting');

    expect(await read(first)).toMatchObject({ status: 'waiting', orderKey: 'ann' });
    expect((await read(first)).waitingFor).toBeUndefined();
    expect(await read(second)).toMatchObject({
      status: 'queued',
      orderKey: 'ann',
      waitingFor: { orderKey: 'ann', behind: first, ahead: 1 },
    });
    expect(await read(other)).toMatchObject({ status: 'waiting', orderKey: 'bob' });

    const decided = await gw!.app.request(`/api/runs/${first}/steps/ok/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'reject', by: 'maria' }),
    });
    expect(decided.status).toBe(200);
    await until(async () => (await read(second)).status === 'waiting');
    expect(await read(first)).toMatchObject({ status: 'failed' });
    const next = await read(second);
    expect(next.status).toBe('waiting');
    expect(next.waitingFor).toBeUndefined();
  });
});
