import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { opsSystem } from './ops';

function sandbox() {
  return createSandboxApp({ systems: [opsSystem] });
}

type App = ReturnType<typeof sandbox>['app'];

async function call(app: App, method: string, path: string, body?: unknown) {
  const res = await app.request(path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('ops sandbox: scaling and rebalancing', () => {
  it('scales a region out by a step or to a count, within its room', async () => {
    const { app, state } = sandbox();
    const start = await call(app, 'GET', '/ops/traffic');
    expect(start.body.capacity).toEqual([
      { region: 'eu-west', replicas: 6, maxReplicas: 12 },
      { region: 'us-east', replicas: 2, maxReplicas: 10 },
      { region: 'ap-south', replicas: 2, maxReplicas: 6 },
    ]);
    const out = await call(app, 'POST', '/ops/traffic/scale', { region: 'eu-west', by: 4, reason: 'surge' });
    expect(out).toMatchObject({
      status: 200,
      body: {
        id: 'SC-1001',
        region: 'eu-west',
        previousReplicas: 6,
        replicas: 10,
        maxReplicas: 12,
        reason: 'surge',
      },
    });
    const to = await call(app, 'POST', '/ops/traffic/scale', { region: 'eu-west', replicas: 12 });
    expect(to.body).toMatchObject({ previousReplicas: 10, replicas: 12 });
    const full = await call(app, 'POST', '/ops/traffic/scale', { region: 'eu-west', by: 1 });
    expect(full).toMatchObject({ status: 409, body: { error: { code: 'insufficient_capacity' } } });
    expect(full.body.error.message).toContain('room for 12');
    expect(state.effects.map((e) => [e.kind, e.ref])).toEqual([
      ['traffic.scaled', 'SC-1001'],
      ['traffic.scaled', 'SC-1002'],
    ]);
  });

  it('fails to scale while the scaleFails switch is on', async () => {
    const { app } = sandbox();
    await call(app, 'PUT', '/_sandbox/ops/switches', { scaleFails: true });
    const refused = await call(app, 'POST', '/ops/traffic/scale', { region: 'us-east', by: 1 });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'insufficient_capacity' } } });
    expect((await call(app, 'GET', '/ops/traffic')).body.capacity[1].replicas).toBe(2);
    await call(app, 'DELETE', '/_sandbox/ops/switches');
    expect((await call(app, 'POST', '/ops/traffic/scale', { region: 'us-east', by: 1 })).status).toBe(200);
  });

  it('refuses unclear or impossible scale requests', async () => {
    const { app } = sandbox();
    const both = await call(app, 'POST', '/ops/traffic/scale', { region: 'eu-west', by: 1, replicas: 3 });
    expect(both).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(both.body.error.message).toContain('either replicas');
    expect((await call(app, 'POST', '/ops/traffic/scale', { region: 'eu-west' })).status).toBe(400);
    const unknown = await call(app, 'POST', '/ops/traffic/scale', { region: 'mars-1', by: 1 });
    expect(unknown).toMatchObject({ status: 422, body: { error: { code: 'unknown_region' } } });
    const none = await call(app, 'POST', '/ops/traffic/scale', { region: 'eu-west', by: -6 });
    expect(none).toMatchObject({ status: 422, body: { error: { code: 'invalid_replicas' } } });
  });

  it('rebalances traffic in proportion to replicas, over all regions or the ones named', async () => {
    const { app, state } = sandbox();
    const all = await call(app, 'POST', '/ops/traffic/rebalance');
    expect(all.body).toMatchObject({ id: 'RB-1001' });
    // 6 : 2 : 2 replicas.
    expect(all.body.regions).toEqual([
      { name: 'eu-west', weight: 60 },
      { name: 'us-east', weight: 20 },
      { name: 'ap-south', weight: 20 },
    ]);
    await call(app, 'POST', '/ops/traffic/scale', { region: 'us-east', replicas: 4 });
    const two = await call(app, 'POST', '/ops/traffic/rebalance', { regions: ['eu-west', 'us-east'] });
    // 6 : 4, and nothing for the region left out.
    expect(two.body.regions).toEqual([
      { name: 'eu-west', weight: 60 },
      { name: 'us-east', weight: 40 },
      { name: 'ap-south', weight: 0 },
    ]);
    await call(app, 'POST', '/ops/traffic/scale', { region: 'ap-south', replicas: 1 });
    const thirds = await call(app, 'POST', '/ops/traffic/rebalance', { regions: ['us-east', 'ap-south'] });
    // 4 : 1.
    expect(thirds.body.regions.map((r: { weight: number }) => r.weight)).toEqual([0, 80, 20]);
    await call(app, 'POST', '/ops/traffic/scale', { region: 'ap-south', replicas: 2 });
    await call(app, 'POST', '/ops/traffic/scale', { region: 'us-east', replicas: 2 });
    await call(app, 'POST', '/ops/traffic/scale', { region: 'eu-west', replicas: 2 });
    const even = await call(app, 'POST', '/ops/traffic/rebalance', {
      regions: ['us-east', 'ap-south', 'eu-west'],
    });
    // Three equal shares: whole percents that still sum to 100.
    expect(even.body.regions.map((r: { weight: number }) => r.weight)).toEqual([34, 33, 33]);
    expect((await call(app, 'POST', '/ops/traffic/rebalance', { regions: ['mars-1'] })).body.error.code).toBe(
      'unknown_region',
    );
    expect(state.effects.filter((e) => e.kind === 'traffic.rebalanced')).toHaveLength(4);
    await call(app, 'POST', '/_sandbox/reset');
    const reset = await call(app, 'GET', '/ops/traffic');
    expect(reset.body.regions[0]).toEqual({ name: 'eu-west', weight: 100 });
    expect(reset.body.capacity[1]).toEqual({ region: 'us-east', replicas: 2, maxReplicas: 10 });
  });

  it('reroutes to another data centre after a failed scale-out, as a surge flow falls back', async () => {
    const { app } = sandbox();
    await call(app, 'PUT', '/_sandbox/ops/switches', { scaleFails: true });
    expect((await call(app, 'POST', '/ops/traffic/scale', { region: 'eu-west', by: 2 })).status).toBe(409);
    const moved = await call(app, 'POST', '/ops/traffic/reroute', {
      from: 'eu-west',
      to: 'us-east',
      percent: 30,
    });
    expect(moved).toMatchObject({ status: 200, body: { id: 'RR-1001', moved: 30 } });
    expect(moved.body.regions).toEqual([
      { name: 'eu-west', weight: 70 },
      { name: 'us-east', weight: 30 },
      { name: 'ap-south', weight: 0 },
    ]);
  });
});
