import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../server';
import { opsSystem } from '../systems/ops';

let sandbox: RunningSandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function started() {
  sandbox = await startSandbox({ port: 0, systems: [opsSystem] });
  const url = sandbox.url;
  const control = (path: string, init: RequestInit = {}) =>
    fetch(`${url}/_sandbox${path}`, { ...init, headers: { 'content-type': 'application/json' } });
  return { url, control };
}

describe('rate limits over real HTTP', () => {
  it('lets exactly the limit through a concurrent burst', async () => {
    const { url, control } = await started();
    await control('/limits/ops', { method: 'PUT', body: JSON.stringify({ requests: 20, per: 10_000 }) });
    const statuses = await Promise.all(
      Array.from({ length: 50 }, async () => (await fetch(`${url}/ops/traffic`)).status),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    const stats = (await (await control('/limits/ops')).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ accepted: 20, rejected: 30, maxInAnyWindow: 20 });
  });

  it('never lets more than the limit into any window, whatever a greedy client sends', async () => {
    const { url, control } = await started();
    await control('/limits/ops', { method: 'PUT', body: JSON.stringify({ requests: 5, per: 200 }) });
    const until = Date.now() + 1200;
    // Four clients calling as fast as they can, for a little over a second.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() < until) await (await fetch(`${url}/ops/traffic`)).arrayBuffer();
      }),
    );
    const stats = (await (await control('/limits/ops')).json()) as {
      accepted: number;
      rejected: number;
      maxInAnyWindow: number;
      arrivals: number[];
    };
    expect(stats.maxInAnyWindow).toBe(5);
    expect(stats.rejected).toBeGreaterThan(0);
    // About five per 200 ms over 1.2 s: the window really slides instead of shutting for good.
    expect(stats.accepted).toBeGreaterThanOrEqual(10);
    expect(stats.arrivals).toHaveLength(stats.accepted);
  });
});
