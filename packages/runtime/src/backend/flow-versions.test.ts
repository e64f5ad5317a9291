import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedBackend } from './embedded/index';
import { backendPool, testFlow, testRun } from './redis/_test-redis';
import type { Backend } from './types';

/** Both backends' flow definition stores, on a clock the test moves. */
describe.each(['embedded', 'redis'] as const)('flow versions on %s', (name) => {
  const pool = backendPool('flow-versions');
  afterEach(() => pool.dispose());
  let clock = 1_000_000;
  const now = () => clock;

  const open = async (): Promise<Backend> =>
    name === 'embedded' ? createEmbeddedBackend({ now }) : pool.open({ now });

  it('keeps one definition per version, and the current version of each flow', async () => {
    const { flowVersions: store } = await open();
    await store.put('orders', 'aaa', '{"id":"orders","n":1}');
    await store.put('orders', 'aaa', '{"id":"orders","n":"ignored"}');
    await store.put('orders', 'bbb', '{"id":"orders","n":2}');
    expect(await store.get('orders', 'aaa')).toBe('{"id":"orders","n":1}');
    expect(await store.get('orders', 'ccc')).toBeUndefined();
    expect(await store.current()).toEqual({});
    await store.setCurrent({ orders: 'aaa', refunds: 'r1' });
    await store.setCurrent({ orders: 'bbb' });
    expect(await store.current()).toEqual({ orders: 'bbb' });
  });

  it('prunes a definition once no run and no current flow uses it, after the grace', async () => {
    const backend = await open();
    const store = backend.flowVersions;
    for (const version of ['v1', 'v2', 'v3']) await store.put('f', version, `{"v":"${version}"}`);
    await store.setCurrent({ f: 'v1' });
    await store.setCurrent({ f: 'v2' });
    await store.setCurrent({ f: 'v3' });
    // A retained run on v1: v1 stays; v2 has no run.
    await backend.runs.create([testRun({ ...testFlow('f'), version: 'v1' })]);
    expect(await store.prune({ graceMs: 60_000 })).toBe(0);
    clock += 60_000;
    expect(await store.prune({ graceMs: 60_000 })).toBe(1);
    expect(await store.get('f', 'v1')).toBe('{"v":"v1"}');
    expect(await store.get('f', 'v2')).toBeUndefined();
    expect(await store.get('f', 'v3')).toBe('{"v":"v3"}');
  });

  it('tells every listener of a reload', async () => {
    const a = await open();
    const b = name === 'redis' ? await open() : a;
    const heard: string[] = [];
    b.flowVersions.onReload(() => heard.push('b'));
    a.flowVersions.onReload(() => heard.push('a'));
    // Redis subscribes asynchronously: publish until both heard one.
    for (let i = 0; i < 50 && !(heard.includes('a') && heard.includes('b')); i++) {
      await a.flowVersions.publishReload();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(heard).toContain('a');
    expect(heard).toContain('b');
  });
});
