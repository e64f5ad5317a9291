import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedBudgetStore } from './embedded/budget-store';
import { backendPool } from './redis/_test-redis';
import type { BudgetAsk, BudgetPolicy, BudgetStore } from './types';

/** The same rules on both stores: what a call may do, and when it is told to come back. */
const pool = backendPool('budget');
afterAll(() => pool.dispose());

const stores: Array<[string, () => Promise<{ a: BudgetStore; b: BudgetStore }>]> = [
  [
    'embedded',
    async () => {
      const store = new EmbeddedBudgetStore();
      return { a: store, b: store };
    },
  ],
  // Two backends on one prefix: two worker processes sharing the budget.
  [
    'redis',
    async () => {
      const a = await pool.open();
      const b = await pool.open();
      return { a: a.budgets, b: b.budgets };
    },
  ],
];

let calls = 0;
function ask(policy: BudgetPolicy, flow = 'f', callId = `c${calls++}`): BudgetAsk {
  return { callId, flow, policy, leaseMs: 10_000, holdMs: 10_000 };
}

describe.each(stores)('%s budget store', (_name, open) => {
  it('lets `requests` calls through per window, counts a call until a window after its answer, then says when to come back', async () => {
    const { a, b } = await open();
    const policy = { rate: { requests: 3, perMs: 400 } };
    const asks = [ask(policy), ask(policy), ask(policy), ask(policy)];
    const answers = [];
    for (const [i, x] of asks.entries()) answers.push(await (i % 2 ? a : b).acquire('crm', x));
    expect(answers.slice(0, 3)).toEqual([{ granted: true }, { granted: true }, { granted: true }]);
    const refused = answers[3]!;
    expect(refused).toMatchObject({ granted: false, reason: 'rate' });
    // Three calls in flight: their slots free no sooner than a window after they answer.
    for (const x of asks.slice(0, 3)) await a.release('crm', x.callId, policy);
    const wait = refused.granted ? 0 : refused.waitMs;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(400);
    // Not yet: the answers came back just now.
    expect((await b.acquire('crm', asks[3]!)).granted).toBe(false);
    await sleep(420);
    expect(await b.acquire('crm', asks[3]!)).toEqual({ granted: true });
    expect(await a.state('crm')).toMatchObject({ inWindow: 1, inFlight: 1, waiting: 0 });
  });

  it('counts every answer in the window, a call asked for again after throttled answers once per answer', async () => {
    const { a, b } = await open();
    const policy = { rate: { requests: 4, perMs: 60_000 } };
    const x = ask(policy);
    // The provider throttled it (a 429) twice: the call goes back to the line and is let through
    // again, often within the same millisecond here, which must still be three answers.
    for (const store of [a, b, a]) {
      expect(await store.acquire('billing', x)).toEqual({ granted: true });
      await store.release('billing', x.callId, policy);
      await (store as { flushAll?: () => Promise<void> }).flushAll?.();
    }
    // Three requests reached the provider: one more fits in the window, not two.
    expect(await a.state('billing')).toMatchObject({ inWindow: 3, inFlight: 0 });
    expect(await a.acquire('billing', ask(policy))).toEqual({ granted: true });
    expect(await b.acquire('billing', ask(policy))).toMatchObject({ granted: false, reason: 'rate' });
  });

  it('two answers of one call given back together are two requests counted', async () => {
    const { a } = await open();
    const policy = { rate: { requests: 3, perMs: 60_000 } };
    const x = ask(policy);
    expect(await a.acquire('ledger', x)).toEqual({ granted: true });
    // Both answers wait to ride along together (one batch, one millisecond on Redis).
    await a.release('ledger', x.callId, policy);
    await a.release('ledger', x.callId, policy);
    await (a as { flushAll?: () => Promise<void> }).flushAll?.();
    expect(await a.state('ledger')).toMatchObject({ inWindow: 2, inFlight: 0 });
  });

  it('asking again for a call already let through is no second slot', async () => {
    const { a, b } = await open();
    const policy = { concurrency: 1 };
    const x = ask(policy);
    expect(await a.acquire('erp', x)).toEqual({ granted: true });
    expect(await b.acquire('erp', x)).toEqual({ granted: true });
    expect((await b.acquire('erp', ask(policy))).granted).toBe(false);
    expect(await a.state('erp')).toMatchObject({ inFlight: 1, waiting: 1 });
  });

  it('keeps at most `concurrency` calls in flight, and the next in line goes when one answers', async () => {
    const { a, b } = await open();
    const policy = { concurrency: 2 };
    const [x, y, z, w] = [ask(policy), ask(policy), ask(policy), ask(policy)];
    expect(await a.acquire('ship', x)).toEqual({ granted: true });
    expect(await b.acquire('ship', y)).toEqual({ granted: true });
    expect(await a.acquire('ship', z)).toMatchObject({ granted: false, reason: 'concurrency' });
    expect(await b.acquire('ship', w)).toMatchObject({ granted: false, reason: 'concurrency' });
    await a.release('ship', x.callId, policy);
    // One slot free: the first in line takes it, the second still waits.
    expect((await b.acquire('ship', w)).granted).toBe(false);
    expect(await a.acquire('ship', z)).toEqual({ granted: true });
    await b.release('ship', y.callId, policy);
    expect(await b.acquire('ship', w)).toEqual({ granted: true });
  });

  it('serves flows in turns: a flow that arrives behind a long line of another is not served last', async () => {
    const { a, b } = await open();
    const policy = { concurrency: 1 };
    const holder = ask(policy, 'busy');
    expect(await a.acquire('pay', holder)).toEqual({ granted: true });
    const busy = Array.from({ length: 5 }, () => ask(policy, 'busy'));
    for (const x of busy) expect((await a.acquire('pay', x)).granted).toBe(false);
    const quiet = ask(policy, 'quiet');
    expect((await b.acquire('pay', quiet)).granted).toBe(false);
    // Serve the line one by one, each asking in line order: who gets each freed slot?
    const order: string[] = [];
    let current = holder;
    const waiting = [...busy, quiet];
    while (waiting.length > 0) {
      await a.release('pay', current.callId, policy);
      for (const x of [...waiting]) {
        if ((await b.acquire('pay', x)).granted) {
          order.push(x.flow);
          waiting.splice(waiting.indexOf(x), 1);
          current = x;
          break;
        }
      }
    }
    expect(order.indexOf('quiet')).toBeLessThanOrEqual(1);
  });

  it('a pause holds every call back until it ends, however much budget is left', async () => {
    const { a, b } = await open();
    const policy = { rate: { requests: 100, perMs: 1000 } };
    await a.pause('hr', 300);
    const refused = await b.acquire('hr', ask(policy));
    expect(refused).toMatchObject({ granted: false, reason: 'paused' });
    expect(refused.granted ? 0 : refused.waitMs).toBeGreaterThan(200);
    expect((await a.state('hr')).pausedUntil).toBeGreaterThan(Date.now());
    // A shorter pause asked later does not shorten it.
    await b.pause('hr', 10);
    await sleep(100);
    expect((await a.acquire('hr', ask(policy))).granted).toBe(false);
    await sleep(250);
    expect(await a.acquire('hr', ask(policy))).toEqual({ granted: true });
  });

  it("drops a waiter that stops asking, so a dead caller's place does not block the line", async () => {
    const { a, b } = await open();
    const policy = { concurrency: 1 };
    const holder = ask(policy);
    expect(await a.acquire('mail', holder)).toEqual({ granted: true });
    const dead = { ...ask(policy), holdMs: 50 };
    expect((await a.acquire('mail', dead)).granted).toBe(false);
    const alive = ask(policy);
    expect((await b.acquire('mail', alive)).granted).toBe(false);
    await a.release('mail', holder.callId, policy);
    await sleep(200);
    expect(await b.acquire('mail', alive)).toEqual({ granted: true });
  });

  it('a withdrawn waiter leaves the line', async () => {
    const { a } = await open();
    const policy = { concurrency: 1 };
    const holder = ask(policy);
    await a.acquire('sms', holder);
    const gone = ask(policy);
    await a.acquire('sms', gone);
    expect((await a.state('sms')).waiting).toBe(1);
    await a.withdraw('sms', gone.callId);
    expect((await a.state('sms')).waiting).toBe(0);
  });

  it('a lease its caller never gave back ends, and the slot frees', async () => {
    const { a } = await open();
    const policy = { concurrency: 1 };
    expect(await a.acquire('slow', { ...ask(policy), leaseMs: 100 })).toEqual({ granted: true });
    expect((await a.state('slow')).inFlight).toBe(1);
    await sleep(150);
    expect((await a.state('slow')).inFlight).toBe(0);
    expect(await a.acquire('slow', ask(policy))).toEqual({ granted: true });
  });

  it('leases slots for a process far from binding: they count at once, count a window once used, and free unused', async () => {
    const { a, b } = await open();
    const policy = { rate: { requests: 100, perMs: 60_000 }, concurrency: 200 };
    const x = { ...ask(policy), lease: { slots: 8, holdMs: 50 } };
    const answer = await a.acquire('roomy', x);
    expect(answer).toEqual({
      granted: true,
      leased: Array.from({ length: 8 }, (_, i) => `${x.callId}~${i + 1}`),
    });
    const leased = answer.granted ? answer.leased! : [];
    // The call and its eight leased slots are in flight for every process.
    expect(await b.state('roomy')).toMatchObject({ inFlight: 9, inWindow: 9 });
    // Two leased slots served calls: they count a window after their answers; the rest go back unused.
    await a.release('roomy', leased[0]!, policy);
    await b.release('roomy', leased[1]!, policy);
    await a.giveBack('roomy', leased.slice(2));
    await a.release('roomy', x.callId, policy);
    await sleep(20); // the Redis store sends given-back slots a few ms later
    expect(await b.state('roomy')).toMatchObject({ inFlight: 0, inWindow: 3 });
  });

  it('leases nothing near the limit, or while others wait: those calls go one by one, in line', async () => {
    const { a, b } = await open();
    const near = { rate: { requests: 12, perMs: 60_000 } };
    const lease = { slots: 8, holdMs: 50 };
    // Twelve free: a quarter less one is two slots; then eight left, one slot; then six: none.
    expect((await a.acquire('near', { ...ask(near), lease })) as { leased?: string[] }).toMatchObject({
      leased: [expect.any(String), expect.any(String)],
    });
    expect(((await a.acquire('near', { ...ask(near), lease })) as { leased?: string[] }).leased).toHaveLength(
      1,
    );
    expect(await a.acquire('near', { ...ask(near), lease })).toEqual({ granted: true });
    // A roomy budget, yet a call still waits in line (it has not asked since a pause ended):
    // a late asker gets its own slot and no lease.
    const roomy = { concurrency: 1000 };
    await a.pause('line', 200);
    expect((await b.acquire('line', ask(roomy))).granted).toBe(false);
    await sleep(220);
    expect(await a.acquire('line', { ...ask(roomy), lease })).toEqual({ granted: true });
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
