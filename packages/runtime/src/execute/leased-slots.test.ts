import { describe, expect, it } from 'vitest';
import { EmbeddedBudgetStore } from '../backend/embedded/budget-store';
import { silentEngineLogger } from '../log/logger';
import { LEASE_HOLD_MS, LeasedSlots } from './leased-slots';

const policy = { rate: { requests: 1000, perMs: 60_000 } };

async function leaseOf(store: EmbeddedBudgetStore, slots: LeasedSlots, callId: string, leaseMs = 1000) {
  slots.asked('crm');
  const answer = await store.acquire('crm', {
    callId,
    flow: 'f',
    policy,
    leaseMs,
    holdMs: 1000,
    lease: { slots: 4, holdMs: LEASE_HOLD_MS },
  });
  slots.answered('crm', answer.granted ? answer.leased : undefined, leaseMs);
}

describe('LeasedSlots', () => {
  it('hands out the slots it leased, one per call, then wants more', async () => {
    const store = new EmbeddedBudgetStore();
    const slots = new LeasedSlots(() => store, silentEngineLogger(), Date.now);
    expect(slots.wants('crm')).toBe(true);
    await leaseOf(store, slots, 'c1');
    expect(slots.wants('crm')).toBe(false);
    const taken = [1, 2, 3, 4].map(() => slots.take('crm', 1000));
    expect(new Set(taken)).toEqual(new Set(['c1~1', 'c1~2', 'c1~3', 'c1~4']));
    expect(slots.take('crm', 1000)).toBeUndefined();
    expect(slots.wants('crm')).toBe(true);
  });

  it('gives no slot to a call longer than the lease covers', async () => {
    const store = new EmbeddedBudgetStore();
    const slots = new LeasedSlots(() => store, silentEngineLogger(), Date.now);
    await leaseOf(store, slots, 'c1', 1000);
    expect(slots.take('crm', 5000)).toBeUndefined();
    expect(slots.take('crm', 1000)).toBeDefined();
  });

  it('gives unused slots back once their time is up, without counting them', async () => {
    const store = new EmbeddedBudgetStore();
    const slots = new LeasedSlots(() => store, silentEngineLogger(), Date.now);
    await leaseOf(store, slots, 'c1');
    const used = slots.take('crm', 1000)!;
    await store.release('crm', used, policy);
    expect(await store.state('crm')).toMatchObject({ inFlight: 4, inWindow: 5 });
    await new Promise((resolve) => setTimeout(resolve, LEASE_HOLD_MS + 30));
    // The call c1 itself is still in flight; the used slot counts; three went back.
    expect(await store.state('crm')).toMatchObject({ inFlight: 1, inWindow: 2 });
    expect(slots.take('crm', 1000)).toBeUndefined();
  });

  it('gives every slot back when dropped (a pause, the engine stopping)', async () => {
    const store = new EmbeddedBudgetStore();
    const slots = new LeasedSlots(() => store, silentEngineLogger(), Date.now);
    await leaseOf(store, slots, 'c1');
    await slots.dropAll();
    expect(await store.state('crm')).toMatchObject({ inFlight: 1 });
    expect(slots.take('crm', 1000)).toBeUndefined();
  });

  it('lets calls wait for the lease being asked for once leases come, and not near the limit', async () => {
    const store = new EmbeddedBudgetStore();
    const slots = new LeasedSlots(() => store, silentEngineLogger(), Date.now);
    // No lease yet: nothing to wait for, the call asks the store itself.
    slots.asked('crm');
    expect(slots.leaseOut('crm')).toBeUndefined();
    slots.answered('crm', ['c0~1'], 1000);
    expect(slots.take('crm', 1000)).toBe('c0~1');
    // The last ask leased slots: a call that finds none waits for the next ask's answer, and takes from it.
    slots.asked('crm');
    const out = slots.leaseOut('crm');
    expect(out).toBeInstanceOf(Promise);
    let settled = false;
    void out!.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    slots.answered('crm', ['c1~1', 'c1~2'], 1000);
    await out;
    expect(settled).toBe(true);
    expect(slots.take('crm', 1000)).toBeDefined();
    // An ask that leased nothing (the budget is near its limit): calls go one by one again.
    slots.asked('crm');
    slots.answered('crm', undefined, 1000);
    slots.asked('crm');
    expect(slots.leaseOut('crm')).toBeUndefined();
  });
});
