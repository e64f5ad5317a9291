import { describe, expect, it } from 'vitest';
import { createEmbeddedBackend } from '../backend/embedded/index';
import { compileFlow } from '../compile/compile-flow';
import { canonicalJson } from '../compile/flow-version';
import { type Flow, flowSchema } from '../flow/schema';
import { silentEngineLogger } from '../log/logger';
import { newRun } from '../model/new-run';
import type { CloudEvent } from '../model/run-record';
import { FlowCatalog } from './flow-catalog';

const event: CloudEvent = {
  specversion: '1.0',
  id: 'e',
  source: 's',
  type: 'go',
  time: '2030-01-01T00:00:00Z',
  data: {},
};
const flowAt = (n: number) =>
  compileFlow(
    flowSchema.parse({
      id: 'f',
      trigger: { source: 's', event: 'go' },
      steps: [{ id: 'a', delay: `${n}ms` }],
    }) as Flow,
  );

describe('FlowCatalog', () => {
  it('answers the current version without a promise, an older one from the store, and a legacy run the current', async () => {
    const backend = createEmbeddedBackend();
    const [v1, v2] = [flowAt(1), flowAt(2)];
    await backend.flowVersions.put('f', v1.version, canonicalJson(v1.flow));
    const catalog = new FlowCatalog(new Map([['f', v2]]), backend.flowVersions, silentEngineLogger());

    const current = catalog.flowOf(newRun(v2, event, 'webhook', 0));
    expect(current).toBe(v2);
    const { flowVersion: _none, ...legacy } = newRun(v2, event, 'webhook', 0);
    expect(catalog.flowOf(legacy)).toBe(v2);

    const older = catalog.flowOf(newRun(v1, event, 'webhook', 0));
    expect(older).toBeInstanceOf(Promise);
    const compiled = await older;
    expect(compiled?.version).toBe(v1.version);
    expect(compiled?.steps[0]?.delayMs).toBe(1);
    // Compiled once, then kept: no promise the second time.
    expect(catalog.flowOf(newRun(v1, event, 'webhook', 0))).toBe(compiled);

    expect(await catalog.flowOf(newRun(flowAt(3), event, 'webhook', 0))).toBeUndefined();
  });

  it('keeps the versions it replaces compiled for their runs', () => {
    const backend = createEmbeddedBackend();
    const [v1, v2] = [flowAt(1), flowAt(2)];
    const current = new Map([['f', v1]]);
    const catalog = new FlowCatalog(current, backend.flowVersions, silentEngineLogger());
    catalog.use([v2]);
    expect(current.get('f')).toBe(v2);
    expect(catalog.flowOf(newRun(v1, event, 'webhook', 0))).toBe(v1);
  });
});
