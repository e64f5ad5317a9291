import { type CompiledFlow, compileFlow, type Flow, flowSchema } from '@baton/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { probe } from '../helpers/probe-connector';
import { backends } from './backends';

/**
 * Replaying after a fix: on the flow's current version by default or on the
 * run's own version when asked, and from a chosen step (it and what needs it
 * run again, the steps before keep their outputs); the record says which.
 */

/** a → b → c, where `c`'s input names the version. */
function flowAt(tag: 'v1' | 'v2'): CompiledFlow {
  const step = (id: string, extra: object = {}) => ({
    id,
    action: 'probe.do',
    input: { __action: id, tag },
    retry: { maxAttempts: 1 },
    ...extra,
  });
  return compileFlow(
    flowSchema.parse({
      id: 'f',
      trigger: { source: 's', event: 'go' },
      steps: [step('a'), step('b'), step('c')],
    }) as Flow,
  );
}

describe.each(backends)('replay choices on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  async function failedRun() {
    const p = probe();
    p.script('c', [{ fatal: 'carrier down', code: 'CARRIER_DOWN' }, { ok: { shipped: true } }]);
    hub = testHub({
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector } },
      flows: [],
    });
    await hub.engine.reload([flowAt('v1')]);
    const { runs } = await hub.fire({ source: 's', type: 'go' });
    const failed = await hub.engine.waitForRun(runs[0]!.runId);
    expect(failed.status).toBe('failed');
    return { p, hub, failed };
  }

  it('replays on the current version by default, on the run’s own version when asked', async () => {
    const { p, hub, failed } = await failedRun();
    const v1 = failed.flowVersion!;
    const v2 = (await hub.engine.reload([flowAt('v2')])).flows[0]!.version;
    expect(v2).not.toBe(v1);
    const own = await hub.engine.replay(failed.id, { on: 'original' });
    const replayed = await hub.engine.waitForRun(own.runId);
    expect(replayed).toMatchObject({ status: 'succeeded', flowVersion: v1, replay: { on: 'original' } });
    expect(p.callsOf('c').at(-1)!.input).toMatchObject({ tag: 'v1' });
    expect(replayed.audit[0]!.detail).toContain('its own version');
    // A run is replayed once: asking again answers the same replay.
    expect(await hub.engine.replay(failed.id)).toEqual({ runId: own.runId, duplicate: true });
  });

  it('replays from a chosen step: it and what follows run again, the steps before keep their outputs', async () => {
    const { p, hub, failed } = await failedRun();
    const { runId } = await hub.engine.replay(failed.id, { fromStep: 'b' });
    const replayed = await hub.engine.waitForRun(runId);
    expect(replayed.status).toBe('succeeded');
    expect(replayed.replay).toEqual({ on: 'current', fromStep: 'b' });
    const byId = new Map(replayed.steps.map((s) => [s.id, s]));
    expect(byId.get('a')).toMatchObject({ status: 'succeeded', reused: true });
    expect(byId.get('b')!.reused).toBeUndefined();
    expect(p.callsOf('a')).toHaveLength(1);
    expect(p.callsOf('b')).toHaveLength(2);
    expect(p.callsOf('c')).toHaveLength(2);
  });

  it('refuses a step the flow does not have', async () => {
    const { hub, failed } = await failedRun();
    await expect(hub.engine.replay(failed.id, { fromStep: 'nope' })).rejects.toMatchObject({
      code: 'STEP_NOT_FOUND',
    });
  });
});
